package dev.kiln.benchmarks.monitoring;

import dev.kiln.Kiln;
import dev.kiln.monitoring.CoreMonitoring;
import dev.kiln.monitoring.InferenceLogger;
import dev.kiln.predict.Predictor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Does inference logging slow scoring down: 8 threads score single rows flat out with a 100-tree
 * depth-6 binary:logistic model, with logging {@code off} and {@code on} (every row offered to an
 * {@link InferenceLogger} writing to a Delta table in a temp workspace), in the same run. The issue's
 * bar: {@code on} within 10% of {@code off}. At tear-down the logger's counters are printed
 * (offered = accepted + dropped, written = accepted after flush): a full buffer drops rows, never
 * blocks a thread. Both arms do the same work per call (row copy, counter, the same predictor); the
 * logger's writer thread runs in the measured process, and each iteration prints the process CPU
 * time per call, which includes it.
 *
 * <p>Warm-up is long because the {@code on} arm has a transient the {@code off} arm lacks: the
 * first time the writer hands chunks back, the scoring path takes branches its compiled code never
 * saw, is deoptimised and waits for C2, whose queue is long after opening a workspace; on a loaded
 * machine that lasts tens of seconds. The machine may be shared and its load drifts, so compare
 * arms run close together, several times over: {@code -p logging=off,on,off,on} runs four trials.
 *
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar InferenceLoggingBenchmark -f 1 -wi 10 -i 10 -p logging=off,on,off,on
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 10, time = 2)
@Threads(8)
@Fork(1)
public class InferenceLoggingBenchmark {

    /** Logging off or on. */
    @Param({"off", "on"})
    public String logging;

    /** Rows the logger buffers before it drops. */
    @Param({"65536"})
    public int capacity;

    /** Fraction of predictions logged. */
    @Param({"1.0"})
    public double sampleRate;

    static final int WIDTH = 20;

    private Path dir;
    private Kiln kiln;
    private Predictor predictor;
    private InferenceLogger logger;
    private float[] rows;

    private final List<Cursor> cursors = new CopyOnWriteArrayList<>();
    private long cpu0;
    private long ops0;
    private long writerCpu0;

    /** Per-thread cursor over the input rows. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
        long ops;
        final float[] row = new float[WIDTH];

        /**
         * Registers the cursor so that operations can be counted per iteration.
         *
         * @param b the benchmark
         */
        @Setup(Level.Trial)
        public void register(InferenceLoggingBenchmark b) {
            b.cursors.add(this);
        }
    }

    private long ops() {
        long n = 0;
        for (Cursor c : cursors) {
            n += c.ops;
        }
        return n;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long writerCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("kiln-inference-logger-")) {
                return mx.getThreadCpuTime(t.getThreadId());
            }
        }
        return 0;
    }

    /** Notes the process CPU time before an iteration. */
    @Setup(Level.Iteration)
    public void startIteration() {
        cpu0 = processCpu();
        ops0 = ops();
        writerCpu0 = writerCpu();
    }

    /**
     * Prints the iteration's process CPU time per operation (the logger's writer, DuckDB's threads
     * and GC included) and the writer's part of it. Unlike the wall-clock score, CPU per operation
     * hardly moves when other processes load the machine, so it checks the on/off comparison.
     */
    @TearDown(Level.Iteration)
    public void endIteration() {
        long cpu = processCpu() - cpu0;
        long ops = ops() - ops0;
        System.out.printf(" [cpu %.0f ns/op, writer %.1f%% of it, %d ops]", (double) cpu / ops,
                100.0 * (writerCpu() - writerCpu0) / cpu, ops);
    }

    /**
     * Trains the model with XGBoost4J, opens a workspace and the logger.
     *
     * @throws Exception if training or opening fails
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("kiln-logging-bench");
        Random r = new Random(42);
        int n = 20_000;
        float[] x = new float[n * WIDTH];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < WIDTH; j++) {
                x[i * WIDTH + j] = (float) r.nextGaussian();
                s += x[i * WIDTH + j] * (j % 3 - 1);
            }
            y[i] = s + r.nextGaussian() > 0 ? 1 : 0;
        }
        DMatrix m = new DMatrix(x, n, WIDTH, Float.NaN);
        m.setLabel(y);
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "binary:logistic");
        params.put("max_depth", 6);
        params.put("eta", 0.1);
        params.put("nthread", 2);
        Booster booster = XGBoost.train(m, params, 100, new HashMap<>(), null, null);
        Path model = dir.resolve("model.json");
        booster.saveModel(model.toString());
        booster.dispose();
        m.dispose();
        predictor = Predictor.load(model);
        rows = x;
        if (logging.equals("on")) {
            kiln = Kiln.open(dir.resolve("ws"));
            List<String> names = new ArrayList<>();
            for (int j = 0; j < WIDTH; j++) {
                names.add("f" + j);
            }
            logger = new CoreMonitoring(kiln.lakehouse(), Clock.systemUTC()).inferenceLogger("bench", 1, names)
                    .capacity(capacity).sampleRate(sampleRate).open();
            // The first append is cold (class loading, DuckDB's first Parquet write) and the writer
            // rests twenty times as long as a write takes: without this the measurement would see a
            // writer that never wakes up. Flushing ends the rest, so timing starts at the steady cycle.
            for (int k = 0; k < 20_000; k++) {
                logger.log(new float[WIDTH], 0, 0, null);
            }
            logger.flush(Duration.ofMinutes(1));
        }
    }

    /**
     * Scores one row (and logs it when logging is on).
     *
     * @param c the thread's cursor
     * @return the prediction
     */
    @Benchmark
    public float score(Cursor c) {
        int i = c.next;
        c.ops++;
        c.next = i + 1 == rows.length / WIDTH ? 0 : i + 1;
        System.arraycopy(rows, i * WIDTH, c.row, 0, WIDTH);
        if (logger == null) {
            return predictor.predict(c.row);
        }
        return logger.predict(predictor, c.row, null);
    }

    /** Flushes the logger and prints its counters. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (logger != null) {
            logger.flush(Duration.ofSeconds(30));
            System.out.printf("%ninference logger: offered %d, accepted %d, dropped %d, written %d, failed %d%n",
                    logger.offered(), logger.accepted(), logger.dropped(), logger.written(), logger.failed());
            logger.close();
            kiln.close();
        }
    }
}
