package dev.kiln.benchmarks.training;

import dev.kiln.Kiln;
import dev.kiln.experiments.Run;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import dev.kiln.training.TrainedModel;
import dev.kiln.training.Trainer;
import dev.kiln.training.TrainingData;
import dev.kiln.training.TrainingSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Issue 3: what does training through Kiln cost on top of XGBoost itself? {@code kiln}: a run started
 * and {@code Trainer.train} on a {@code rows} x {@code columns} Delta table, which reads the table,
 * trains round by round logging each round's training-set metric (Kiln's default), and stores the
 * model and feature importance in the run. {@code kiln-unwatched}: the same with
 * {@code evaluateTrainingSet(false)}, so no rows are evaluated between rounds. {@code xgboost4j}: a
 * DMatrix built from a {@code float[]} prepared in setup (the same rows, read from the same table),
 * trained with the same parameters and serialised. {@code xgboost4j-watched}: the same, but with the
 * training set as a watch, so XGBoost4J evaluates it every round as Kiln does by default (at 1M rows
 * that evaluation alone is about a tenth of the training time). Each Kiln arm has its twin doing the
 * same XGBoost work ({@code kiln} / {@code xgboost4j-watched}, {@code kiln-unwatched} /
 * {@code xgboost4j}), so their ratio is what Kiln adds: reading the table and tracking. Target: at
 * most 1.15x at 1M x 20.
 *
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar TrainingOverheadBenchmark -f 1 -wi 1 -i 3 -p rows=1000000 -p columns=20
 * java -cp benchmarks/target/benchmarks.jar dev.kiln.benchmarks.AlternatingRunner TrainingOverheadBenchmark \
 *     --arm impl=kiln-unwatched --baseline impl=xgboost4j --pairs 5 --param rows=1000000
 * </pre>
 *
 * <p>The second line pairs one Kiln arm with its twin in alternating forks; the machine's drift
 * between forks is larger than the difference asked about, so decide on the median of the pairs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx6g"})
public class TrainingOverheadBenchmark {
    private static final String TABLE = "bench.training";

    /**
     * {@code kiln}: Trainer.train from the table, the training set evaluated every round; {@code kiln-unwatched}:
     * the same evaluating nothing; {@code xgboost4j}: XGBoost.train from a prebuilt float[]; {@code xgboost4j-watched}:
     * the same with the training set evaluated every round.
     */
    @Param({"kiln", "kiln-unwatched", "xgboost4j", "xgboost4j-watched"})
    public String impl;

    /** Rows in the training table. */
    @Param("1000000")
    public int rows;

    /** Feature columns (doubles); the label is one more. */
    @Param("20")
    public int columns;

    /** Boosting rounds. */
    @Param("50")
    public int rounds;

    /** Tree depth. */
    @Param("6")
    public int depth;

    /** XGBoost's {@code nthread} for both sides; 0 means every core. */
    @Param("0")
    public int threads;

    private Path dir;
    private Kiln kiln;
    private Trainer trainer;
    private Map<String, Object> params;
    private float[] features;
    private float[] labels;

    /**
     * Writes the table through Kiln; for the baseline, reads it back into flat arrays.
     *
     * @throws IOException if the temp folder cannot be made
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("kiln-training-bench");
        kiln = Kiln.open(dir.resolve("ws"));
        kiln.lakehouse().createSchema("bench");
        StringBuilder schema = new StringBuilder();
        StringBuilder generated = new StringBuilder();
        StringBuilder score = new StringBuilder("0");
        for (int c = 0; c < columns; c++) {
            schema.append("x").append(c).append(" DOUBLE, ");
            // uniform in [-1, 1), fixed by row and column: the same table on every run
            generated.append("(hash(i * ").append(columns).append(" + ").append(c).append(") % 2000001)::DOUBLE / 1000000.0 - 1.0 AS x")
                    .append(c).append(", ");
            score.append(c % 3 == 0 ? " + x" + c : c % 3 == 1 ? " - x" + c + " * x" + c + " + 0.33" : " + 0.5 * x" + c + " * x" + (c + columns - 1) % columns);
        }
        kiln.lakehouse().createTable(TableDefinition.builder(TABLE).schema(schema + "label DOUBLE").build())
                .append(WriteSource.query("SELECT * EXCLUDE (noise), CASE WHEN " + score + " + noise > 0 THEN 1.0 ELSE 0.0 END AS label FROM (SELECT "
                        + generated + "(hash(i, 7) % 1000)::DOUBLE / 500.0 - 1.0 AS noise FROM range(" + rows + ") AS r(i))"));
        params = new LinkedHashMap<>();
        params.put("objective", "binary:logistic");
        params.put("tree_method", "hist");
        params.put("max_depth", depth);
        params.put("eta", 0.1);
        params.put("seed", 0);
        params.put("nthread", threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        params.put("verbosity", 0);
        if (impl.startsWith("kiln")) {
            trainer = Trainer.find(kiln.lakehouse());
        } else {
            readBack();
        }
    }

    private void readBack() {
        features = new float[rows * columns];
        labels = new float[rows];
        StringBuilder select = new StringBuilder("SELECT ");
        for (int c = 0; c < columns; c++) {
            select.append("x").append(c).append(", ");
        }
        int row = 0;
        try (Rows table = kiln.lakehouse().sql(select + "label FROM " + TABLE)) {
            while (table.next()) {
                for (int c = 0; c < columns; c++) {
                    features[row * columns + c] = (float) table.getDouble(c);
                }
                labels[row++] = (float) table.getDouble(columns);
            }
        }
        if (row != rows) {
            throw new IllegalStateException("read " + row + " rows back, wrote " + rows);
        }
    }

    /**
     * Trains one model.
     *
     * @return the model's size, so the work is not optimised away
     * @throws Exception from XGBoost4J
     */
    @Benchmark
    public int train() throws Exception {
        if (trainer != null) {
            try (Run run = kiln.experiments().startRun("training-overhead")) {
                TrainedModel model = trainer.train(run, TrainingSpec.builder(TrainingData.table(TABLE).label("label").build())
                        .params(params).rounds(rounds).modelFormat("ubj").evaluateTrainingSet(impl.equals("kiln")).build());
                return model.model().length;
            }
        }
        DMatrix matrix = new DMatrix(features, rows, columns, Float.NaN);
        Booster booster = null;
        try {
            matrix.setLabel(labels);
            Map<String, DMatrix> watches = new HashMap<>();
            if (impl.equals("xgboost4j-watched")) {
                watches.put("train", matrix);
            }
            booster = XGBoost.train(matrix, new HashMap<>(params), rounds, watches, null, null);
            return booster.toByteArray("ubj").length;
        } finally {
            if (booster != null) {
                booster.dispose();
            }
            matrix.dispose();
        }
    }

    /**
     * Closes the workspace and deletes it.
     *
     * @throws IOException if the folder cannot be listed
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        kiln.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
