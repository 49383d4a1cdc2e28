package dev.kiln.benchmarks.lakehouse;

import dev.kiln.Kiln;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How fast does a full scan of a Kiln table reach Java as Arrow batches, against DuckDB's own
 * {@code read_parquet} over the very same data files exported to Arrow? {@code -p rows=N -p columns=N}
 * (doubles besides id and timestamp) change the shape.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ScanToArrowBenchmark -p rows=10000000 -f 1 -wi 2 -i 5}
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.nio=ALL-UNNAMED")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ScanToArrowBenchmark {

    /** Rows in the table. */
    @Param("10000000")
    public long rows;

    /** Double columns besides the id and timestamp. */
    @Param("10")
    public int columns;

    /** {@code kiln}: Snapshot.scan().toArrow; {@code duckdb-read_parquet}: the same files read by DuckDB directly. */
    @Param({"kiln", "duckdb-read_parquet"})
    public String impl;

    private Path dir;
    private Kiln kiln;
    private Table table;
    private Connection duck;
    private String files;
    private BufferAllocator allocator;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = BenchData.tempDir("kiln-scan");
        Path source = dir.resolve("source.parquet");
        BenchData.writeParquet(source, rows, columns);
        kiln = Kiln.open(dir.resolve("ws"));
        kiln.lakehouse().createSchema("bench");
        table = kiln.lakehouse().createTable(TableDefinition.builder("bench.scan").schema(BenchData.columns(columns)).build());
        table.append(WriteSource.parquet(source));
        files = table.latest().scan().files().stream().map(f -> "'" + table.location().resolve(f) + "'")
                .collect(Collectors.joining(", ", "[", "]"));
        duck = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement st = duck.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
        }
        allocator = new RootAllocator();
    }

    @Benchmark
    public long scan() throws Exception {
        if (impl.equals("kiln")) {
            try (ArrowReader reader = table.latest().scan().toArrow(allocator)) {
                return drain(reader);
            }
        }
        try (Statement st = duck.createStatement();
                org.duckdb.DuckDBResultSet rs = (org.duckdb.DuckDBResultSet) st.executeQuery("SELECT * FROM read_parquet(" + files + ")");
                ArrowReader reader = (ArrowReader) rs.arrowExportStream(allocator, 64 * 1024)) {
            return drain(reader);
        }
    }

    private static long drain(ArrowReader reader) throws Exception {
        long count = 0;
        while (reader.loadNextBatch()) {
            count += reader.getVectorSchemaRoot().getRowCount();
        }
        return count;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        kiln.close();
        duck.close();
        allocator.close();
        BenchData.delete(dir);
    }
}
