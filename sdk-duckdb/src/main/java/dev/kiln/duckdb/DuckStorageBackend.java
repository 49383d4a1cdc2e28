package dev.kiln.duckdb;

import dev.kiln.InvalidArgumentException;
import dev.kiln.StorageException;
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

    DuckStorageBackend(DuckEngine engine, StorageContext context) {
        this.engine = engine;
        this.context = context;
    }

    @Override
    public Table createTable(Path location, TableDefinition definition, CommitContext commitContext) {
        return DeltaTable.create(engine, context, location, definition, commitContext);
    }

    @Override
    public Table openTable(Path location, String name, CommitContext commitContext) {
        DeltaTable table = new DeltaTable(engine, context, location, name, commitContext);
        table.latest(); // refuses unreadable tables (unsupported features, broken logs) at open
        return table;
    }

    @Override
    public boolean isTable(Path location) {
        return Files.isDirectory(location.resolve("_delta_log")) && DeltaLog.forTable(location, engine).exists();
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
        try {
            engine.close();
        } catch (StorageException e) {
            throw e;
        }
    }
}
