package dev.kiln.duckdb.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.duckdb.DuckEngine;
import dev.kiln.lakehouse.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a long log must only read what follows the last checkpoint. */
class DeltaLogPerformanceTest {
    private static DuckEngine engine;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        engine = DuckEngine.start(2);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void opensA10000CommitTableWithCheckpointsQuickly() throws Exception {
        Path table = System.getProperty("kiln.perf.table") != null ? Path.of(System.getProperty("kiln.perf.table")) : tmp.resolve("long");
        DeltaLog log = DeltaLog.forTable(table, engine);
        log.commit(0, List.of(Protocol.DEFAULT, Metadata.create(Schema.parse("id BIGINT, name STRING"), List.of(), Map.of())));
        int commits = 10_000;
        // Write the commit files directly (no fsync) to keep the set-up short.
        for (int v = 1; v < commits; v++) {
            String path = "part-" + v + ".parquet";
            AddFile add = new AddFile(path, Map.of(), 1000 + v, 1_700_000_000_000L + v, true,
                    "{\"numRecords\":10,\"minValues\":{\"id\":" + v + "},\"maxValues\":{\"id\":" + (v + 9) + "},\"nullCount\":{\"id\":0}}", null, null);
            String text = ActionCodec.line(TestTables.info(1_700_000_000_000L + v, "WRITE")) + "\n" + ActionCodec.line(add) + "\n"
                    + (v % 3 == 0 ? ActionCodec.line(new RemoveFile("part-" + (v - 1) + ".parquet", 1L, true, Map.of(), 1000L + v - 1, null)) + "\n" : "");
            Files.write(log.commitPath(v), text.getBytes(StandardCharsets.UTF_8));
        }
        long t0 = System.nanoTime();
        LogSnapshot full = log.atVersion(commits - 10);
        long replayMs = (System.nanoTime() - t0) / 1_000_000;
        log.writeCheckpoint(full);
        LogSnapshot expected = DeltaLog.forTable(table, engine).atVersion(commits - 1);
        assertThat(expected.version()).isEqualTo(commits - 1);

        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long coldMs = Long.MAX_VALUE;
        long coldCpuMs = 0;
        for (int i = 0; i < 3; i++) {
            CheckpointReader.clearCache();
            long cpu0 = os.getProcessCpuTime();
            long c0 = System.nanoTime();
            assertThat(DeltaLog.forTable(table, engine).latest().version()).isEqualTo(commits - 1);
            long ms = (System.nanoTime() - c0) / 1_000_000;
            if (ms < coldMs) {
                coldMs = ms;
                coldCpuMs = (os.getProcessCpuTime() - cpu0) / 1_000_000;
            }
        }
        System.out.println("[delta perf] cold open (checkpoint parsed with DuckDB), best of 3: " + coldMs + " ms wall, " + coldCpuMs
                + " ms process CPU; load average " + os.getSystemLoadAverage());
        assertThat(coldMs).isLessThan(2_000);
        long[] times = new long[7];
        for (int i = 0; i < times.length; i++) {
            long s = System.nanoTime();
            LogSnapshot latest = DeltaLog.forTable(table, engine).latest();
            times[i] = (System.nanoTime() - s) / 1_000;
            assertThat(latest.version()).isEqualTo(commits - 1);
            assertThat(latest.files()).hasSameSizeAs(expected.files());
        }
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        long medianMs = sorted[sorted.length / 2] / 1000;
        System.out.println("[delta perf] full JSON replay of " + (commits - 9) + " commits: " + replayMs + " ms; open latest with checkpoint (us): "
                + Arrays.toString(times) + ", median " + medianMs + " ms; " + expected.files().size() + " live files");
        // Well under 100 ms on a quiet machine; the bound leaves room for a loaded CI box.
        assertThat(medianMs).isLessThan(100);

        // A warm log object only reads the new commit.
        DeltaLog warm = DeltaLog.forTable(table, engine);
        warm.latest();
        warm.commit(commits, List.of(TestTables.info(1_800_000_000_000L, "WRITE")));
        long s = System.nanoTime();
        assertThat(warm.latest().version()).isEqualTo(commits);
        System.out.println("[delta perf] warm latest() after one more commit: " + (System.nanoTime() - s) / 1000 + " us");
    }
}
