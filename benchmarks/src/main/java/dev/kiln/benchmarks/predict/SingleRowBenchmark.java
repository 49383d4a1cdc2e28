package dev.kiln.benchmarks.predict;

import dev.kiln.predict.Predictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
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
 * How long does scoring one row from a {@code float[]} take: Kiln's predictor against XGBoost4J's
 * one-row {@code inplace_predict}, on a 100-tree depth-6 and a 500-tree depth-8 binary:logistic
 * model with 20 features (trained with a fixed seed on first use).
 *
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar SingleRowBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s -prof gc
 * # another model and input: -p model=/path/model.ubj -p input=/path/rows.csv (header, empty = missing)
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SingleRowBenchmark {

    /** Which scorer. */
    @Param({"kiln", "xgboost4j"})
    public String impl;

    /** Generated model shape, trees x depth (ignored when {@code model} is set). */
    @Param({"100x6", "500x8"})
    public String shape;

    /** A model file to use instead of a generated one. */
    @Param({""})
    public String model;

    /** A CSV of input rows to use instead of generated ones. */
    @Param({""})
    public String input;

    private Predictor predictor;
    private Booster booster;
    private float[][] rows;
    private int width;
    private int next;

    /**
     * Loads the model and the rows.
     *
     * @throws Exception if the model cannot be built or loaded
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path file = BenchModels.model(model, shape);
        predictor = Predictor.load(file);
        width = predictor.signature().width();
        if (impl.equals("xgboost4j")) {
            booster = XGBoost.loadModel(Files.readAllBytes(file));
            booster.setParam("nthread", "1");
        }
        int n = 1024;
        float[] x = BenchModels.input(input, n, width);
        rows = new float[n][width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * width, rows[i], 0, width);
        }
        // both agree before we time them
        if (booster != null) {
            float ours = predictor.predict(rows[0]);
            float theirs = booster.inplace_predict(rows[0], 1, width, Float.NaN)[0][0];
            if (Math.abs(ours - theirs) > 1e-6f) {
                throw new IllegalStateException("Kiln " + ours + " != XGBoost4J " + theirs);
            }
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
     * Scores the next row.
     *
     * @return the probability
     * @throws Exception from XGBoost4J
     */
    @Benchmark
    public float score() throws Exception {
        float[] row = rows[next++ & 1023];
        if (booster == null) {
            return predictor.predict(row);
        }
        return booster.inplace_predict(row, 1, width, Float.NaN)[0][0];
    }
}
