package dev.kiln.benchmarks.predict;

import dev.kiln.predict.Predictor;
import dev.kiln.predict.PredictorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long does scoring a batch of 1M rows (row-major {@code float[]}) on 2 threads take: Kiln's
 * predictor against XGBoost4J's {@code predict} on a freshly built DMatrix, with the DMatrix
 * construction excluded ({@code xgboost4j-prebuilt}: built in a per-invocation setup) and included
 * ({@code xgboost4j-with-dmatrix}). Time per batch; rows/s = 1M / time.
 *
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar BatchBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
 * # the 500-tree depth-8 model as well: -p shape=100x6,500x8
 * # another model and input: -p model=/path/model.ubj -p input=/path/rows.csv (header, empty = missing)
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx6g"})
public class BatchBenchmark {

    /** Which scorer. */
    @Param({"kiln", "xgboost4j-prebuilt", "xgboost4j-with-dmatrix"})
    public String impl;

    /** Generated model shape, trees x depth (ignored when {@code model} is set). */
    @Param({"100x6"})
    public String shape;

    /** A model file to use instead of a generated one. */
    @Param({""})
    public String model;

    /** A CSV of input rows (repeated up to 1M) to use instead of generated ones. */
    @Param({""})
    public String input;

    /** Rows per batch. */
    @Param({"1000000"})
    public int rows;

    /** Threads for both scorers. */
    @Param({"2"})
    public int threads;

    private Predictor predictor;
    private Booster booster;
    private float[] data;
    private float[] out;
    private int width;
    private DMatrix fresh;

    /**
     * Loads the model and builds the batch.
     *
     * @throws Exception if the model cannot be built or loaded
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path file = BenchModels.model(model, shape);
        predictor = Predictor.load(file, PredictorOptions.builder().threads(threads).build());
        width = predictor.signature().width();
        data = BenchModels.input(input, rows, width);
        out = new float[rows * predictor.signature().outputCount()];
        if (!impl.equals("kiln")) {
            booster = XGBoost.loadModel(Files.readAllBytes(file));
            booster.setParam("nthread", Integer.toString(threads));
        }
    }

    /**
     * Builds a fresh DMatrix before each XGBoost4J-prebuilt invocation (XGBoost caches results per matrix).
     *
     * @throws Exception from XGBoost4J
     */
    @Setup(Level.Invocation)
    public void freshMatrix() throws Exception {
        if (impl.equals("xgboost4j-prebuilt")) {
            fresh = new DMatrix(data, rows, width, Float.NaN);
        }
    }

    /** Disposes the per-invocation DMatrix. */
    @TearDown(Level.Invocation)
    public void disposeMatrix() {
        if (fresh != null) {
            fresh.dispose();
            fresh = null;
        }
    }

    /** Releases the native booster. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (booster != null) {
            booster.dispose();
        }
    }

    /**
     * Scores the batch.
     *
     * @return one output, so the work is not optimised away
     * @throws Exception from XGBoost4J
     */
    @Benchmark
    public float scoreBatch() throws Exception {
        switch (impl) {
            case "kiln":
                predictor.predictBatch(data, rows, out);
                return out[rows - 1];
            case "xgboost4j-prebuilt":
                return booster.predict(fresh)[rows - 1][0];
            default: {
                DMatrix d = new DMatrix(data, rows, width, Float.NaN);
                try {
                    return booster.predict(d)[rows - 1][0];
                } finally {
                    d.dispose();
                }
            }
        }
    }
}
