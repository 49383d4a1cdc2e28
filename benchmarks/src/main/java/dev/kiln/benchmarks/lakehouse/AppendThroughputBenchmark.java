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
 * How fast does an append of N rows (bigint, timestamp, 10 doubles; {@code -p columns=N} for
 * another width) from a Parquet file land in a Kiln table, against DuckDB's own
 * {@code COPY ... TO} Parquet of the same rows (no Delta commit)?
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar AppendThroughputBenchmark -p rows=10000000 -f 1 -wi 1 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AppendThroughputBenchmark {

    /** Rows per append. */
    @Param("10000000")
    public long rows;

    /** Double columns besides the id and timestamp. */
    @Param("10")
    public int columns;

    /** {@code kiln}: Table.append; {@code duckdb-copy}: COPY (read_parquet) TO a Parquet file. */
    @Param({"kiln", "duckdb-copy"})
    public String impl;

    private Path dir;
    private Path source;
    private Kiln kiln;
    private Table table;
    private Connection duck;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = BenchData.tempDir("kiln-append");
        source = dir.resolve("source.parquet");
        BenchData.writeParquet(source, rows, columns);
        if (impl.equals("kiln")) {
            kiln = Kiln.open(dir.resolve("ws"));
            kiln.lakehouse().createSchema("bench");
            table = kiln.lakehouse().createTable(TableDefinition.builder("bench.append").schema(BenchData.columns(columns)).build());
        } else {
            duck = DriverManager.getConnection("jdbc:duckdb:");
        }
    }

    @Benchmark
    public long append() throws Exception {
        if (table != null) {
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
        if (kiln != null) {
            kiln.close();
        }
        if (duck != null) {
            duck.close();
        }
        BenchData.delete(dir);
    }
}
