package dev.kiln.benchmarks.lakehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/** Shared fixtures: the benchmark rows (bigint, timestamp, N doubles) as a Parquet file, and temp folders. */
final class BenchData {

    private BenchData() {
    }

    /** The table schema of rows with {@code doubles} double columns. */
    static String columns(int doubles) {
        StringBuilder schema = new StringBuilder("id BIGINT, ts TIMESTAMP");
        for (int c = 0; c < doubles; c++) {
            schema.append(", x").append(c).append(" DOUBLE");
        }
        return schema.toString();
    }

    /** Writes {@code rows} rows with {@code doubles} double columns, the same on every run, to {@code file} using plain DuckDB. */
    static void writeParquet(Path file, long rows, int doubles) {
        StringBuilder select = new StringBuilder("SELECT i::BIGINT AS id, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i::BIGINT) AS ts");
        for (int c = 0; c < doubles; c++) {
            select.append(", ((i * ").append(2654435761L + c).append(") % 1000003) / 1000.0::DOUBLE AS x").append(c);
        }
        select.append(" FROM range(").append(rows).append(") r(i)");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:"); Statement st = connection.createStatement()) {
            st.execute("COPY (" + select + ") TO '" + file + "' (FORMAT parquet, COMPRESSION snappy)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
