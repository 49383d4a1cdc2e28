package dev.kiln.duckdb.delta;

import dev.kiln.duckdb.DuckEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Helpers that write real Parquet files with DuckDB and read relations back. */
final class TestTables {
    private TestTables() {
    }

    static Path copy(DuckEngine engine, Path file, String select) {
        return copy(engine, file, select, "");
    }

    static Path copy(DuckEngine engine, Path file, String select, String extraOptions) {
        try {
            Files.createDirectories(file.getParent());
            exec(engine, "COPY (" + select + ") TO " + DuckEngine.literal(file.toString()) + " (FORMAT parquet" + extraOptions + ")");
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static AddFile add(DuckEngine engine, Path tableDir, String select) {
        Path file = copy(engine, tableDir.resolve("part-" + UUID.randomUUID() + ".parquet"), select);
        return addFor(tableDir, file, Map.of(), null);
    }

    static AddFile addFor(Path tableDir, Path file, Map<String, String> partitionValues, DeletionVector dv) {
        try {
            return new AddFile(DeltaPaths.relative(tableDir, file), new LinkedHashMap<>(partitionValues), Files.size(file),
                    Files.getLastModifiedTime(file).toMillis(), true, null, dv, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static RemoveFile remove(AddFile a) {
        return new RemoveFile(a.path(), System.currentTimeMillis(), true, a.partitionValues(), a.size(), a.deletionVector());
    }

    static CommitInfoAction info(long timestamp, String operation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", timestamp);
        m.put("operation", operation);
        return new CommitInfoAction(m);
    }

    static void exec(DuckEngine engine, String sql) {
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Rows of a query, each as its columns' string forms joined by '|', sorted. */
    static List<String> rows(DuckEngine engine, String sql) {
        List<String> out = new ArrayList<>();
        try (Connection c = engine.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    static List<String> read(DuckEngine engine, LogSnapshot s) {
        return rows(engine, SnapshotRelation.sql(engine, s, s.files()));
    }

    static long count(DuckEngine engine, LogSnapshot s) {
        return rows(engine, "SELECT count(*) FROM (" + SnapshotRelation.sql(engine, s, s.files()) + ")").stream().mapToLong(Long::parseLong).sum();
    }
}
