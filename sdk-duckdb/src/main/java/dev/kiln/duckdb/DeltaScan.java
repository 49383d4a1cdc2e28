package dev.kiln.duckdb;

import dev.kiln.InvalidArgumentException;
import dev.kiln.duckdb.delta.AddFile;
import dev.kiln.duckdb.delta.LogSnapshot;
import dev.kiln.duckdb.delta.SnapshotRelation;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Scan;
import dev.kiln.lakehouse.Schema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A read of one snapshot: projection, a filter, and the files left after pruning. */
final class DeltaScan implements Scan {
    private final DuckEngine engine;
    private final LogSnapshot snapshot;
    private final List<String> columns;
    private final String filter;

    DeltaScan(DuckEngine engine, LogSnapshot snapshot, List<String> columns, String filter) {
        this.engine = engine;
        this.snapshot = snapshot;
        this.columns = List.copyOf(columns);
        this.filter = filter;
    }

    @Override
    public Scan columns(List<String> names) {
        Schema schema = snapshot.schema();
        List<String> checked = new ArrayList<>();
        for (String name : names) {
            checked.add(schema.field(name).orElseThrow(() -> new InvalidArgumentException("Column '" + name
                    + "' is not in table " + snapshot.tableDir().getFileName() + " (columns: " + schema.names() + ").")).name());
        }
        return new DeltaScan(engine, snapshot, checked, filter);
    }

    @Override
    public Scan filter(String sqlCondition) {
        String combined = filter == null ? sqlCondition : "(" + filter + ") AND (" + sqlCondition + ")";
        return new DeltaScan(engine, snapshot, columns, combined);
    }

    @Override
    public List<String> files() {
        return pruned().stream().map(AddFile::path).toList();
    }

    List<AddFile> pruned() {
        if (filter == null) {
            return snapshot.files();
        }
        try (Connection connection = engine.connect()) {
            return FilePruner.prune(connection, snapshot, filter);
        } catch (SQLException e) {
            throw new InvalidArgumentException("Filter '" + filter + "' is not valid: " + Sql.message(e), e);
        }
    }

    String sql() {
        String projection = columns.stream().map(DuckEngine::quote).collect(Collectors.joining(", "));
        String sql = "SELECT " + projection + " FROM (" + SnapshotRelation.sql(engine, snapshot, pruned()) + ") AS t";
        return filter == null ? sql : sql + " WHERE " + filter;
    }

    @Override
    public boolean ordered() {
        return SnapshotRelation.ordered(snapshot, pruned());
    }

    @Override
    public Rows rows() {
        Connection connection = engine.connect();
        try {
            return JdbcRows.run(connection, sql());
        } catch (SQLException e) {
            Sql.closeQuietly(connection);
            throw new InvalidArgumentException("Reading " + snapshot.tableDir() + " failed: " + Sql.message(e), e);
        } catch (RuntimeException e) {
            Sql.closeQuietly(connection);
            throw e;
        }
    }

    @Override
    public long count() {
        try (Connection connection = engine.connect()) {
            return Sql.queryLong(connection, "SELECT count(*) FROM (" + sql() + ")");
        } catch (SQLException e) {
            throw new InvalidArgumentException("Counting " + snapshot.tableDir() + " failed: " + Sql.message(e), e);
        }
    }

    @Override
    public org.apache.arrow.vector.ipc.ArrowReader toArrow(org.apache.arrow.memory.BufferAllocator allocator) {
        Connection connection = engine.connect();
        try {
            java.sql.Statement statement = connection.createStatement();
            org.duckdb.DuckDBResultSet rs = (org.duckdb.DuckDBResultSet) statement.executeQuery(sql());
            org.apache.arrow.vector.ipc.ArrowReader reader =
                    (org.apache.arrow.vector.ipc.ArrowReader) rs.arrowExportStream(allocator, 64 * 1024);
            return new OwningArrowReader(reader, allocator, rs, statement, connection);
        } catch (SQLException e) {
            Sql.closeQuietly(connection);
            throw new InvalidArgumentException("Reading " + snapshot.tableDir() + " as Arrow failed: " + Sql.message(e), e);
        } catch (RuntimeException | LinkageError e) {
            Sql.closeQuietly(connection);
            throw ArrowSupport.explain(e);
        }
    }
}
