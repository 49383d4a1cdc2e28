package dev.kiln.benchmarks.features;

import dev.kiln.Kiln;
import dev.kiln.duckdb.DuckStorageProvider;
import dev.kiln.experiments.Run;
import dev.kiln.features.FeatureLookup;
import dev.kiln.features.FeatureStore;
import dev.kiln.features.FeatureTableDefinition;
import dev.kiln.features.KeyedPredictors;
import dev.kiln.features.Spine;
import dev.kiln.features.TrainingSet;
import dev.kiln.features.TrainingSetSpec;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import dev.kiln.models.VersionSpec;
import dev.kiln.predict.KeyedPredictor;
import dev.kiln.predict.Predictor;
import dev.kiln.training.TrainedModel;
import dev.kiln.training.Trainer;
import dev.kiln.training.TrainingData;
import dev.kiln.training.TrainingSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
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
 * Question: what does predict-by-key cost, a 20-feature vector looked up in the online store by key (1M keys)
 * and scored by a 100-tree model (target p99 under 20 us)?
 *
 * <p>Measured ({@code impl=kiln-keyed}): a {@link KeyedPredictor} as an application gets one, a model trained
 * with Kiln's trainer on a point-in-time training set (100 rounds, depth 6), registered, loaded by
 * {@code models:/} URI and bound to the training set's lookups, called with {@code Map.of("customer_id", key)}.
 * Baselines in the same run, both on the same model and the same feature values held in a
 * {@code ConcurrentHashMap<Long, float[]>}: {@code map-xgboost4j} scores the row with XGBoost4J's one-row
 * {@code inplace_predict} (the third-party way), {@code map-kiln} with Kiln's own predictor (so the difference
 * to {@code kiln-keyed} is the keyed path's own overhead: request map, store lookup, row assembly).
 *
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar PredictByKeyBenchmark -f 1 -wi 1 -i 3 -p keys=1000000
 * # allocation per call: add -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx6g"})
public class PredictByKeyBenchmark {
    private static final int FEATURES = 20;
    private static final int TREES = 100;

    /** How a request is served. */
    @Param({"kiln-keyed", "map-kiln", "map-xgboost4j"})
    public String impl;

    /** Keys in the online store. */
    @Param({"1000000"})
    public int keys;

    private Path dir;
    private Kiln kiln;
    private KeyedPredictor keyed;
    private Predictor predictor;
    private Booster booster;
    private int arm; // impl as a number, so that picking the arm costs every arm the same
    private final ConcurrentHashMap<Long, float[]> vectors = new ConcurrentHashMap<>();
    private final SplittableRandom random = new SplittableRandom(42);

    /**
     * Writes the feature table, trains and registers the model, and warms the store the measured path needs.
     *
     * @throws IOException if the workspace cannot be created
     * @throws XGBoostError if XGBoost4J cannot load the model
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException, XGBoostError {
        dir = Files.createTempDirectory("kiln-by-key-bench");
        kiln = Kiln.builder().root(dir.resolve("ws")).storage(new DuckStorageProvider()).open();
        Lakehouse lake = kiln.lakehouse();
        FeatureStore store = kiln.features();
        lake.createSchema("fs");
        lake.createSchema("ml");
        // values are a hash of (key, feature), so the labels below can be computed from them without a join
        List<String> names = new ArrayList<>();
        StringBuilder cols = new StringBuilder();
        for (int f = 0; f < FEATURES; f++) {
            names.add("f" + f);
            cols.append(", ").append(value(f)).append(" AS f").append(f);
        }
        store.createTable(FeatureTableDefinition.builder("fs.customer").primaryKeys("customer_id").timestampKey("ts").build(),
                "SELECT i::BIGINT AS customer_id, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds((i % 86400)::BIGINT) AS ts" + cols
                        + " FROM range(" + keys + ") AS r(i)");
        // every tenth customer labelled a day later, by a non-linear rule with noise, so that 100 depth-6 trees have splits to make
        lake.createTable(TableDefinition.builder("ml.labels").schema("customer_id BIGINT, t TIMESTAMP, label INT").build())
                .append(WriteSource.query("SELECT i::BIGINT AS customer_id, TIMESTAMPTZ '2024-01-02 00:00:00+00' + to_seconds((i % 86400)::BIGINT) AS t, "
                        + "CASE WHEN " + value(0) + " + " + value(1) + " * " + value(2) + " - sin(6 * " + value(3) + ") + " + value(4) + " * "
                        + value(4) + " + 0.4 * ((hash(i * 7 + 3) % 1000) / 1000.0) > 0.9 THEN 1 ELSE 0 END AS label FROM range(0, " + keys
                        + ", 10) AS r(i)"));
        TrainedModel trained;
        List<FeatureLookup> lookups;
        try (TrainingSet set = store.trainingSet(TrainingSetSpec.builder(Spine.table("ml.labels", "t"))
                .lookup(FeatureLookup.builder("fs.customer").build()).build());
                Run run = kiln.experiments().startRun("predict-by-key-bench")) {
            lookups = set.lineage().lookups();
            trained = Trainer.find(lake).train(run, TrainingSpec.builder(TrainingData.trainingSet(set).label("label").features(names).build())
                    .param("objective", "binary:logistic").param("max_depth", 6).param("eta", 0.1).param("tree_method", "hist")
                    .param("seed", 1).rounds(TREES).build());
        }
        long version = kiln.models().register(VersionSpec.builder("churn").fromRun("runs:/" + trained.runId() + "/" + trained.artifactPath())
                .build()).version();
        predictor = kiln.models().load("models:/churn/" + version);
        arm = List.of("kiln-keyed", "map-kiln", "map-xgboost4j").indexOf(impl);
        if (arm < 0) {
            throw new IllegalArgumentException("impl must be kiln-keyed, map-kiln or map-xgboost4j, not " + impl);
        }
        if (arm == 0) {
            keyed = KeyedPredictors.bind(store, predictor, lookups);
        } else {
            try (Rows rows = lake.sql("SELECT customer_id, " + String.join(", ", names) + " FROM fs.customer")) {
                while (rows.next()) {
                    float[] row = new float[FEATURES];
                    for (int f = 0; f < FEATURES; f++) {
                        row[f] = ((Number) rows.get(1 + f)).floatValue();
                    }
                    vectors.put((Long) rows.get(0), row);
                }
            }
            if (arm == 2) {
                booster = XGBoost.loadModel(trained.model());
                booster.setParam("nthread", "1");
            }
        }
        check(names);
    }

    /** Feature {@code f} of customer {@code i}: in [-1, 1), fixed by (i, f). */
    private static String value(int f) {
        return "((hash(i * " + FEATURES + " + " + f + ") % 2000000) / 1000000.0 - 1)";
    }

    /** Every arm must compute the same score for the same key before any is timed. */
    private void check(List<String> names) throws XGBoostError {
        if (predictor.signature().width() != FEATURES || !predictor.signature().features().get(0).name().equals(names.get(0))) {
            throw new IllegalStateException("The model's signature is not the 20 features: " + predictor.signature());
        }
        for (long key = 0; key < Math.min(keys, 1000); key += 97) {
            float expected = predictor.predict(row(key));
            float got = score(key);
            if (Math.abs(expected - got) > 1e-6f) {
                throw new IllegalStateException(impl + " scores key " + key + " as " + got + ", expected " + expected);
            }
        }
    }

    /** The feature row of a key, straight from the table (independent of the arm under test). */
    private float[] row(long key) {
        float[] row = new float[FEATURES];
        try (Rows rows = kiln.lakehouse().sql("SELECT * EXCLUDE (customer_id, ts) FROM fs.customer WHERE customer_id = " + key)) {
            rows.next();
            for (int f = 0; f < FEATURES; f++) {
                row[f] = ((Number) rows.get(f)).floatValue();
            }
        }
        return row;
    }

    /** Closes the predictor and the booster, and deletes the workspace. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (keyed != null) {
            keyed.close();
        }
        if (booster != null) {
            booster.dispose();
        }
        kiln.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private float score(long key) throws XGBoostError {
        if (arm == 0) {
            return keyed.predict(Map.of("customer_id", key));
        }
        if (arm == 1) {
            return predictor.predict(vectors.get(key));
        }
        return booster.inplace_predict(vectors.get(key), 1, FEATURES, Float.NaN)[0][0];
    }

    /**
     * Scores a random customer.
     *
     * @return the probability
     * @throws XGBoostError from XGBoost4J
     */
    @Benchmark
    public float predict() throws XGBoostError {
        return score(random.nextLong(keys));
    }
}
