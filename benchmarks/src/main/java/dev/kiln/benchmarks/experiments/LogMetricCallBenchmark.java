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
 * Issue 3: one buffered {@code logMetric} call (key, value, step), median under 5 µs, into the
 * workspace's Delta store against the in-memory store. Every 1,000th call hands the buffer to the
 * store and every 200,000th row commits: those show in the tail percentiles, not the median.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar LogMetricCallBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LogMetricCallBenchmark {

    /** {@code delta} or {@code memory}. */
    @Param({"delta", "memory"})
    public String impl;

    private Tracking tracking;
    private Run run;
    private long step;

    @Setup(Level.Trial)
    public void setUp() {
        tracking = Tracking.open(impl);
        run = tracking.experiments.startRun("bench");
    }

    @Benchmark
    public void logMetric() {
        long s = step++;
        run.logMetric("loss", 1.0 / (s + 1), s);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tracking.close();
    }
}
