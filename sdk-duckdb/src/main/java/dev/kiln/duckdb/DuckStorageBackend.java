package dev.kiln.duckdb;

import dev.kiln.InvalidArgumentException;
import dev.kiln.duckdb.delta.DeltaLog;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.spi.CommitContext;
import dev.kiln.spi.StorageBackend;
import dev.kiln.spi.StorageContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** Tables of one workspace on DuckDB. */
final class DuckStorageBackend implements StorageBackend {
    private final DuckEngine engine;
    private final StorageContext context;
    private final boolean fsync;
    /** One log per table folder: a log caches its last state, so reopening a table reads only new commits. */
    private final java.util.Map<Path, DeltaLog> logs = new java.util.concurrent.ConcurrentHashMap<>();

    DuckStorageBackend(DuckEngine engine, StorageContext context) {
        this.engine = engine;
        this.context = context;
        this.fsync = Boolean.parseBoolean(context.properties().getOrDefault("commit.fsync", "true"));
    }

    DeltaLog log(Path location) {
        return logs.computeIfAbsent(location.toAbsolutePath().normalize(), l -> DeltaLog.forTable(l, engine).fsync(fsync));
    }

    @Override
    public Table createTable(Path location, TableDefinition definition, CommitContext commitContext) {
        return DeltaTable.create(engine, context, log(location), location, definition, commitContext);
    }

    @Override
    public Table openTable(Path location, String name, CommitContext commitContext) {
        DeltaTable table = new DeltaTable(engine, context, log(location), location, name, commitContext);
        table.latest(); // refuses unreadable tables (unsupported features, broken logs) at open
        return table;
    }

    @Override
    public boolean isTable(Path location) {
        return Files.isDirectory(location.resolve("_delta_log")) && log(location).exists();
    }

    @Override
    public Rows query(String sql) {
        Connection connection = engine.connect();
        try {
            String resolved = Relations.bind(connection, engine, context.relations().resolve(sql));
            return JdbcRows.run(connection, resolved);
        } catch (SQLException e) {
            Sql.closeQuietly(connection);
            throw new InvalidArgumentException("Query failed: " + Sql.message(e) + " -- in: " + sql, e);
        } catch (RuntimeException e) {
            Sql.closeQuietly(connection);
            throw e;
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}
