package dev.kiln.benchmarks.lakehouse;

import dev.kiln.Kiln;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What does one small append commit (1,000 rows from a Parquet file) cost end to end: read the
 * latest snapshot, write the data file, publish the commit? The baseline is DuckDB writing the same
 * 1,000 rows to a Parquet file with no table at all. Read the p50 of the sample-time output.
 * {@code -p rows=N -p columns=N} (doubles besides id and timestamp) change the shape.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CommitLatencyBenchmark -f 1 -wi 2 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CommitLatencyBenchmark {

    /** Rows per commit. */
    @Param("1000")
    public long rows;

    /** Double columns besides the id and timestamp. */
    @Param("10")
    public int columns;

    /** {@code kiln}: Table.append (one Delta commit); {@code duckdb-copy}: COPY to a Parquet file only. */
    @Param({"kiln", "duckdb-copy"})
    public String impl;

    private Path dir;
    private Path source;
    private Kiln kiln;
    private Table table;
    private Connection duck;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = BenchData.tempDir("kiln-commit");
        source = dir.resolve("source.parquet");
        BenchData.writeParquet(source, rows, columns);
        kiln = Kiln.open(dir.resolve("ws"));
        kiln.lakehouse().createSchema("bench");
        table = kiln.lakehouse().createTable(TableDefinition.builder("bench.commits").schema(BenchData.columns(columns)).build());
        duck = DriverManager.getConnection("jdbc:duckdb:");
    }

    @Benchmark
    public long commit() throws Exception {
        if (impl.equals("kiln")) {
            return table.append(WriteSource.parquet(source)).version();
        }
        try (Statement st = duck.createStatement()) {
            st.execute("COPY (SELECT * FROM read_parquet('" + source + "')) TO '" + dir.resolve(UUID.randomUUID() + ".parquet")
                    + "' (FORMAT parquet, COMPRESSION snappy)");
        }
        return 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        kiln.close();
        duck.close();
        BenchData.delete(dir);
    }
}
