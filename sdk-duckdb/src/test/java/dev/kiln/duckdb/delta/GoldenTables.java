package dev.kiln.duckdb.delta;

import dev.kiln.duckdb.DuckEngine;
import dev.kiln.lakehouse.Field;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Access to the shared conformance tables and a multiset comparison done in DuckDB. */
final class GoldenTables {
    private GoldenTables() {
    }

    record Entry(String table, String expect, String note) {
        @Override
        public String toString() {
            return table;
        }
    }

    static Path root() {
        String dir = System.getProperty("kiln.shared.dir");
        if (dir == null) {
            throw new IllegalStateException("System property kiln.shared.dir is not set; run the tests through Maven (surefire sets it).");
        }
        Path root = Path.of(dir).resolve("conformance/delta-golden");
        if (!Files.isRegularFile(root.resolve("MANIFEST.tsv"))) {
            throw new IllegalStateException("No conformance tables at " + root + " (kiln.shared.dir=" + dir + ").");
        }
        return root;
    }

    static List<Entry> manifest() {
        try {
            List<Entry> out = new ArrayList<>();
            for (String line : Files.readAllLines(root().resolve("MANIFEST.tsv"))) {
                String[] cols = line.split("\t", -1);
                if (cols.length < 2 || cols[0].equals("table") || cols[0].isBlank()) {
                    continue;
                }
                out.add(new Entry(cols[0], cols[1], cols.length > 2 ? cols[2] : ""));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Entry> withExpect(String expect) {
        return manifest().stream().filter(e -> e.expect().equals(expect));
    }

    /** Outcome of comparing a snapshot with expected rows. */
    record Comparison(long actualRows, long expectedRows, long differing, List<String> sample) {
        boolean equal() {
            return differing == 0 && actualRows == expectedRows;
        }
    }

    /**
     * Compares the rows of a relation with the Parquet files of an expected folder, as multisets,
     * after casting the expected columns to the snapshot's types.
     */
    static Comparison compare(DuckEngine engine, String actualSql, LogSnapshot snapshot, Path expectedDir) throws SQLException, IOException {
        List<String> expectedFiles;
        try (Stream<Path> s = Files.list(expectedDir)) {
            expectedFiles = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).map(Path::toString).sorted().toList();
        }
        StringBuilder cols = new StringBuilder();
        for (Field f : snapshot.schema().fields()) {
            if (cols.length() > 0) {
                cols.append(", ");
            }
            cols.append("CAST(").append(DuckEngine.quote(f.name())).append(" AS ").append(dev.kiln.duckdb.DuckTypes.duck(f.type())).append(") AS ")
                    .append(DuckEngine.quote(f.name()));
        }
        String expectedSql;
        if (expectedFiles.isEmpty()) {
            expectedSql = "SELECT * FROM (" + actualSql + ") WHERE false";
        } else {
            StringBuilder list = new StringBuilder("[");
            for (String f : expectedFiles) {
                list.append(list.length() > 1 ? ", " : "").append(DuckEngine.literal(f));
            }
            expectedSql = "SELECT " + cols + " FROM read_parquet(" + list + "], union_by_name = true)";
        }
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE a AS " + actualSql);
            st.execute("CREATE TEMP TABLE e AS " + expectedSql);
            long na = count(st, "SELECT count(*) FROM a");
            long ne = count(st, "SELECT count(*) FROM e");
            String diff = "(SELECT 'actual-only' AS side, * FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM e)) UNION ALL "
                    + "(SELECT 'expected-only' AS side, * FROM (SELECT * FROM e EXCEPT ALL SELECT * FROM a))";
            long nd = count(st, "SELECT count(*) FROM (" + diff + ")");
            List<String> sample = new ArrayList<>();
            if (nd > 0) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM (" + diff + ") LIMIT 6")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder sb = new StringBuilder();
                        for (int i = 1; i <= n; i++) {
                            sb.append(i > 1 ? " | " : "").append(rs.getString(i));
                        }
                        sample.add(sb.toString());
                    }
                }
            }
            return new Comparison(na, ne, nd, sample);
        }
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
