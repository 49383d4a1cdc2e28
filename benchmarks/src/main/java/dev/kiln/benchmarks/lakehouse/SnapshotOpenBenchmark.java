package dev.kiln.benchmarks.lakehouse;

import dev.kiln.Kiln;
import dev.kiln.duckdb.DuckEngine;
import dev.kiln.duckdb.delta.DeltaLog;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.nio.file.Path;
import java.util.List;
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
 * How long does opening the latest snapshot of a table with many commits take (checkpoints every
 * 10 commits, as Kiln writes them)? The naive baseline replays every JSON commit file, line by
 * line with Jackson, keeping the live file set: what a reader without checkpoints has to do.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SnapshotOpenBenchmark -p commits=10000 -f 1 -wi 3 -i 5}
 * (setting up 10,000 commits takes a few minutes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SnapshotOpenBenchmark {

    /** Commits in the table. */
    @Param("10000")
    public int commits;

    /**
     * {@code kiln}: Lakehouse.table(..).latest() in a process that has read the table before;
     * {@code kiln-cold}: a reader that has never seen the table (a new {@code DeltaLog}, the process's
     * parsed checkpoints dropped):
     * the last checkpoint and the commits after it are read, on the already running DuckDB engine, as
     * a process that opens a table for the first time does (starting DuckDB itself is a one-off cost
     * of opening a workspace, not of the table's history); {@code json-replay}: every commit file
     * parsed in order.
     */
    @Param({"kiln", "kiln-cold", "json-replay"})
    public String impl;

    private Path dir;
    private Kiln kiln;
    private Table table;
    private DuckEngine engine;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = BenchData.tempDir("kiln-open");
        // The set-up commits skip fsync only to save minutes; the measured opens don't write.
        try (Kiln writer = Kiln.builder().root(dir.resolve("ws")).property("commit.fsync", "false").open()) {
            writer.lakehouse().createSchema("bench");
            Table t = writer.lakehouse().createTable(TableDefinition.builder("bench.commits").schema("id BIGINT, x DOUBLE").build());
            for (int i = 1; i < commits; i++) {
                t.append(WriteSource.values(List.<Object[]>of(new Object[] {(long) i, (double) i})));
            }
        }
        kiln = Kiln.open(dir.resolve("ws"));
        table = kiln.lakehouse().table("bench.commits");
        engine = DuckEngine.start(0);
    }

    @Benchmark
    public long open() throws Exception {
        if (impl.equals("kiln")) {
            return kiln.lakehouse().table("bench.commits").latest().fileCount();
        }
        if (impl.equals("kiln-cold")) {
            DeltaLog.dropCachedCheckpoints(); // a new process has parsed no checkpoint yet
            return DeltaLog.forTable(table.location(), engine).latest().files().size();
        }
        java.util.Set<String> live = new java.util.HashSet<>();
        Path log = table.location().resolve("_delta_log");
        for (int v = 0; v < commits; v++) {
            for (String line : java.nio.file.Files.readAllLines(log.resolve(String.format("%020d.json", v)))) {
                com.fasterxml.jackson.databind.JsonNode action = JSON.readTree(line);
                if (action.has("add")) {
                    live.add(action.get("add").get("path").asText());
                } else if (action.has("remove")) {
                    live.remove(action.get("remove").get("path").asText());
                }
            }
        }
        return live.size();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        kiln.close();
        engine.close();
        BenchData.delete(dir);
    }
}
