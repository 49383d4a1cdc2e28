package dev.kiln.duckdb.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.models.VersionSpec;
import dev.kiln.predict.Predictor;
import dev.kiln.tck.models.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak, bounded in time: 8 threads score continuously (pausing 0.2 ms every 512 calls, so that a
 * two-core machine still runs the mover) while the alias moves 100 times in-process.
 * Zero failures, only whole versions, and the p99 latency while swaps happen is reported.
 */
class AliasSwapSoakTest {
    private static final int THREADS = 8;
    private static final int MOVES = 100;
    private static final int VERSIONS = 5;

    private static final int BUCKETS = 20_000 + 10_000;

    @TempDir
    Path dir;

    private static int bucket(long nanos) {
        if (nanos < 1_000_000) {
            return (int) (nanos / 50);
        }
        return (int) Math.min(BUCKETS - 1, 20_000 + nanos / 1_000_000);
    }

    /** The upper bound of the bucket holding the given quantile. */
    private static long percentile(long[] histogram, long total, double q) {
        long rank = (long) Math.ceil(total * q);
        long seen = 0;
        for (int b = 0; b < histogram.length; b++) {
            seen += histogram[b];
            if (seen >= rank) {
                return b < 20_000 ? (b + 1) * 50L : (b - 20_000 + 1) * 1_000_000L;
            }
        }
        return Long.MAX_VALUE;
    }

    @Test
    void eightThreadsScoreWhileTheAliasMovesAHundredTimes() throws Exception {
        try (Kiln kiln = TinyPredictor.open(dir.resolve("ws"), Principal.of("alice"), "PT0.01S")) {
            for (int v = 1; v <= VERSIONS; v++) {
                kiln.models().register(VersionSpec.builder("churn")
                        .fromFile(TinyModels.write(dir.resolve("in/m" + v + ".json"), v, List.of("a", "b"))).build());
            }
            kiln.models().setAlias("churn", "champion", 1);
            Predictor p = kiln.models().load("models:/churn@champion");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong failures = new AtomicLong();
            AtomicLong torn = new AtomicLong();
            AtomicLong swapsSeen = new AtomicLong();
            // per-thread histograms: 50 ns buckets up to 1 ms, then 1 ms buckets up to 10 s
            long[][] histograms = new long[THREADS][BUCKETS];
            long[] max = new long[THREADS];
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    float[] row = {1f, 2f};
                    float previous = Float.NaN;
                    long[] mine = histograms[id];
                    int n = 0;
                    while (!stop.get()) {
                        if (++n % 512 == 0) {
                            // 8 threads on a small machine: leave the mover and the follower some CPU
                            LockSupport.parkNanos(200_000);
                        }
                        long start = System.nanoTime();
                        try {
                            float y = p.predict(row);
                            long took = System.nanoTime() - start;
                            mine[bucket(took)]++;
                            max[id] = Math.max(max[id], took);
                            long v = Math.round(y / 1001f);
                            if (v < 1 || v > VERSIONS || TinyModels.expected((int) v) != y) {
                                torn.incrementAndGet();
                            } else if (y != previous) {
                                if (!Float.isNaN(previous)) {
                                    swapsSeen.incrementAndGet();
                                }
                                previous = y;
                            }
                        } catch (RuntimeException e) {
                            failures.incrementAndGet();
                        }
                    }
                });
                threads.add(th);
            }
            threads.forEach(Thread::start);
            long begin = System.nanoTime();
            int last = 1;
            for (int move = 1; move <= MOVES; move++) {
                last = move % VERSIONS + 1;
                kiln.models().setAlias("churn", "champion", last);
                Thread.sleep(15);
            }
            long movingMillis = (System.nanoTime() - begin) / 1_000_000;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (p.predict(new float[] {1f, 2f}) != TinyModels.expected(last) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            stop.set(true);
            for (Thread th : threads) {
                th.join();
            }
            long[] merged = new long[BUCKETS];
            long total = 0;
            long worst = 0;
            for (int t = 0; t < THREADS; t++) {
                for (int b = 0; b < BUCKETS; b++) {
                    merged[b] += histograms[t][b];
                    total += histograms[t][b];
                }
                worst = Math.max(worst, max[t]);
            }
            String report = String.format("alias swap soak: %d threads, %d alias moves in %d ms, %d calls, %d swaps seen by threads, "
                    + "failures=%d, torn=%d, latency p50<=%d ns p99<=%d ns p99.9<=%d ns max=%d us", THREADS, MOVES, movingMillis, total,
                    swapsSeen.get(), failures.get(), torn.get(), percentile(merged, total, 0.50), percentile(merged, total, 0.99),
                    percentile(merged, total, 0.999), worst / 1000);
            System.out.println(report);
            Files.writeString(Path.of("target", "alias-swap-soak.txt"), report + "\n");
            assertThat(failures.get()).isZero();
            assertThat(torn.get()).isZero();
            assertThat(total).isPositive();
            assertThat(swapsSeen.get()).isPositive();
            assertThat(p.predict(new float[] {1f, 2f})).isEqualTo(TinyModels.expected(last));
        }
    }
}
