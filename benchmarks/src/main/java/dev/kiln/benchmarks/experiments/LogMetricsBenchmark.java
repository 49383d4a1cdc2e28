package dev.kiln.benchmarks.experiments;

import dev.kiln.experiments.Run;
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
 * Issue 3: log 1M metric points (1,000 runs x 10 metrics x 100 steps), runs started inside the
 * measurement, including the final {@code flush()} that commits them, into the workspace's Delta
 * store against the in-memory store. Target: at least 500k points/s (under 2 s per operation).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar LogMetricsBenchmark -f 1 -wi 1 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LogMetricsBenchmark {

    /** {@code delta}: Kiln.experiments() of a workspace; {@code memory}: the in-memory store. */
    @Param({"delta", "memory"})
    public String impl;

    /** Runs. */
    @Param("1000")
    public int runs;

    /** Metrics per run. */
    @Param("10")
    public int metrics;

    /** Steps per metric. */
    @Param("100")
    public int steps;

    private Tracking tracking;
    private String[] keys;

    @Setup(Level.Iteration)
    public void setUp() {
        tracking = Tracking.open(impl);
        tracking.experiments.createExperiment("bench");
        keys = new String[metrics];
        for (int m = 0; m < metrics; m++) {
            keys[m] = "metric_" + m;
        }
    }

    @Benchmark
    public long logAndFlush() {
        long points = 0;
        long now = System.currentTimeMillis();
        for (int r = 0; r < runs; r++) {
            Run run = tracking.experiments.startRun("bench");
            for (int s = 0; s < steps; s++) {
                for (int m = 0; m < metrics; m++) {
                    run.logMetric(keys[m], s * 0.001 + m, s, now);
                    points++;
                }
            }
        }
        tracking.experiments.flush();
        return points;
    }

    @TearDown(Level.Iteration)
    public void tearDown() {
        tracking.close();
    }
}
