package dev.kiln.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.InvalidArgumentException;
import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.experiments.CoreExperiments;
import dev.kiln.experiments.DatasetInput;
import dev.kiln.experiments.MetricPoint;
import dev.kiln.experiments.Run;
import dev.kiln.experiments.RunQuery;
import dev.kiln.experiments.RunRecord;
import dev.kiln.experiments.RunStatus;
import dev.kiln.features.FeatureLookup;
import dev.kiln.features.FeatureStore;
import dev.kiln.features.FeatureTableDefinition;
import dev.kiln.features.Spine;
import dev.kiln.features.TrainingSet;
import dev.kiln.features.TrainingSetSpec;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training from lakehouse tables inside runs, checked against XGBoost4J's own training on the same rows. */
class XGBoostTrainingTest {
    private static final int AGARICUS_FEATURES = 126;

    @TempDir
    Path dir;
    Kiln kiln;
    CoreExperiments experiments;
    Trainer trainer;

    @BeforeEach
    void open() {
        kiln = Kiln.open(dir.resolve("ws"));
        kiln.lakehouse().createSchema("ml");
        experiments = CoreExperiments.inMemory(dir.resolve("artifacts"), Principal.of("tester"));
        trainer = Trainer.find(kiln.lakehouse());
    }

    @AfterEach
    void close() {
        experiments.close();
        kiln.close();
    }

    /** agaricus.txt.train as rows: label then 126 dense features, absent entries as 0 (they are one-hot indicators). */
    private static List<float[]> agaricus() throws IOException {
        Path file = Path.of(System.getProperty("kiln.shared.dir"), "data", "agaricus", "agaricus.txt.train");
        List<float[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] parts = line.trim().split("\\s+");
            float[] row = new float[AGARICUS_FEATURES + 1];
            row[0] = Float.parseFloat(parts[0]);
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split(":");
                row[Integer.parseInt(kv[0])] = Float.parseFloat(kv[1]);
            }
            rows.add(row);
        }
        return rows;
    }

    private Table agaricusTable(List<float[]> data) {
        StringBuilder ddl = new StringBuilder("label DOUBLE");
        for (int f = 1; f <= AGARICUS_FEATURES; f++) {
            ddl.append(", f").append(f).append(" FLOAT");
        }
        Table table = kiln.lakehouse().createTable(TableDefinition.builder("ml.agaricus").schema(ddl.toString()).build());
        List<Object[]> values = new ArrayList<>();
        for (float[] r : data) {
            Object[] row = new Object[AGARICUS_FEATURES + 1];
            row[0] = (double) r[0];
            for (int f = 1; f <= AGARICUS_FEATURES; f++) {
                row[f] = r[f];
            }
            values.add(row);
        }
        table.append(WriteSource.values(values));
        return table;
    }

    @Test
    void perRoundMetricsMatchXGBoost4JOnAgaricusAndInputsAreRecorded() throws Exception {
        List<float[]> data = agaricus();
        agaricusTable(data);
        Map<String, Object> params = new LinkedHashMap<>(Map.of("objective", "binary:logistic", "max_depth", 3, "eta", 0.3,
                "eval_metric", "logloss", "nthread", 1, "seed", 7));
        TrainedModel model;
        String runId;
        try (Run run = experiments.startRun("agaricus")) {
            runId = run.id();
            model = trainer.train(run, TrainingSpec.builder(TrainingData.table("ml.agaricus").label("label").build())
                    .params(params).rounds(8).build());
        }
        float[] flat = new float[data.size() * AGARICUS_FEATURES];
        float[] labels = new float[data.size()];
        for (int i = 0; i < data.size(); i++) {
            labels[i] = data.get(i)[0];
            System.arraycopy(data.get(i), 1, flat, i * AGARICUS_FEATURES, AGARICUS_FEATURES);
        }
        DMatrix reference = new DMatrix(flat, data.size(), AGARICUS_FEATURES, Float.NaN);
        reference.setLabel(labels);
        float[][] log = new float[1][8];
        Booster booster = XGBoost.train(reference, new HashMap<>(params), 8, Map.of("train", reference), log, null, null, 0);
        List<MetricPoint> history = experiments.metricHistory(runId, "train-logloss");
        assertThat(history).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(history.get(i).step()).isEqualTo(i);
            assertThat((float) history.get(i).value()).isCloseTo(log[0][i], org.assertj.core.data.Offset.offset(1e-6f));
        }
        // the same rows and parameters give the same trees: compare predictions on the training rows
        assertThat(model.featureNames()).hasSize(AGARICUS_FEATURES).startsWith("f1", "f2");
        assertThat(model.rounds()).isEqualTo(8);
        Booster ours = XGBoost.loadModel(model.model());
        float[][] expected = booster.predict(reference);
        float[][] actual = ours.predict(new DMatrix(flat, data.size(), AGARICUS_FEATURES, Float.NaN));
        assertThat(actual).isDeepEqualTo(expected);
        RunRecord record = experiments.getRun(runId);
        assertThat(record.data().params()).containsEntry("max_depth", "3").containsEntry("num_boost_round", "8");
        assertThat(record.inputs()).extracting(DatasetInput::name, DatasetInput::version).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ml.agaricus", 1L));
        assertThat(experiments.listArtifacts(runId, "model")).extracting(a -> a.path()).contains("model/model.json",
                "model/feature_importance.json");
        String json = new String(model.model(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"feature_names\"").contains("\"f126\"");
        // importance is read from one dump of the trees; XGBoost4J's getScore, one dump per kind, must agree exactly
        Map<String, Map<String, Double>> logged;
        try (var in = experiments.openArtifact(runId, "model/feature_importance.json")) {
            logged = new com.fasterxml.jackson.databind.ObjectMapper().readValue(in,
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Map<String, Double>>>() { });
        }
        String[] names = model.featureNames().toArray(String[]::new);
        assertThat(logged).containsOnlyKeys("gain", "weight", "cover");
        for (String kind : List.of("gain", "weight", "cover")) {
            assertThat(logged.get(kind)).as(kind).isNotEmpty().isEqualTo(ours.getScore(names, kind));
        }
    }

    private void synthetic(int rows) {
        Table t = kiln.lakehouse().createTable(TableDefinition.builder("ml.synth").schema("x1 DOUBLE, x2 DOUBLE, x3 INT, noisy BOOLEAN, y INT").build());
        t.append(WriteSource.query("SELECT (i % 97) / 97.0 AS x1, ((i * 31) % 89) / 89.0 AS x2, (i % 7)::INT AS x3, (i % 2 = 0) AS noisy, "
                + "CASE WHEN (i % 97) / 97.0 + ((i * 31) % 89) / 89.0 + CASE WHEN (i * 7919) % 10 < 2 THEN 1 ELSE 0 END > 1.1 THEN 1 ELSE 0 END AS y "
                + "FROM range(" + rows + ") r(i)"));
    }

    @Test
    void trainsFromATrainingSetAsBuiltAndRecordsItsTablesAsInputs() {
        FeatureStore store = kiln.features();
        kiln.lakehouse().createSchemaIfNotExists("fs");
        store.createTable(FeatureTableDefinition.builder("fs.activity").primaryKeys("id").timestampKey("ts").build(),
                "SELECT (i % 400)::BIGINT AS id, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds((i // 400) * 86400) AS ts, "
                        + "((i * 37) % 101) / 101.0 AS visits FROM range(4000) AS r(i)");
        Table labels = kiln.lakehouse().createTable(TableDefinition.builder("ml.labels").schema("id BIGINT, t TIMESTAMP, y INT").build());
        labels.append(WriteSource.query("SELECT i::BIGINT AS id, TIMESTAMPTZ '2024-01-05 12:00:00+00' AS t, "
                + "CASE WHEN ((i + 4 * 400) * 37 % 101) / 101.0 > 0.5 THEN 1 ELSE 0 END AS y FROM range(400) AS r(i)"));
        long labelsVersion = labels.latest().version();
        long featuresVersion = kiln.lakehouse().table("fs.activity").latest().version();
        TrainedModel model;
        RunRecord record;
        try (TrainingSet set = store.trainingSet(TrainingSetSpec.builder(Spine.table("ml.labels", "t"))
                .lookup(FeatureLookup.builder("fs.activity").build()).build());
                Run run = experiments.startRun("from-set")) {
            model = trainer.train(run, TrainingSpec.builder(TrainingData.trainingSet(set).label("y").features("visits").build())
                    .param("objective", "binary:logistic").param("eval_metric", "auc").param("max_depth", 2).rounds(10).build());
            run.flush();
            record = experiments.getRun(run.id());
        }
        assertThat(model.featureNames()).containsExactly("visits");
        // the label is a function of the visits known at the spine time: the model learns it
        assertThat(model.metrics().get("train-auc")).isGreaterThan(0.95);
        assertThat(record.inputs()).extracting(DatasetInput::name, DatasetInput::version, DatasetInput::context).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("ml.labels", labelsVersion, DatasetInput.TRAIN),
                org.assertj.core.groups.Tuple.tuple("fs.activity", featuresVersion, DatasetInput.TRAIN));
    }

    @Test
    void earlyStoppingRecordsTheBestIterationAndTrainingIsReproducible() {
        synthetic(3000);
        TrainingSpec spec = TrainingSpec.builder(TrainingData.table("ml.synth").label("y").evalFraction(0.3, 11).build())
                .param("objective", "binary:logistic").param("eval_metric", "auc").param("max_depth", 6).param("eta", 0.5)
                .param("seed", 3).param("nthread", 2).rounds(300).earlyStoppingRounds(5).build();
        TrainedModel first;
        TrainedModel second;
        try (Run run = experiments.startRun("synth")) {
            first = trainer.train(run, spec);
        }
        try (Run run = experiments.startRun("synth")) {
            second = trainer.train(run, spec);
        }
        assertThat(first.rounds()).isLessThan(300);
        assertThat(first.rounds() - 1 - first.bestIteration()).isEqualTo(5);
        assertThat(first.metrics()).containsKeys("train-auc", "eval-auc");
        assertThat(first.featureNames()).containsExactly("x1", "x2", "x3", "noisy");
        assertThat(new String(first.model(), StandardCharsets.UTF_8)).contains("\"best_iteration\":\"" + first.bestIteration() + "\"");
        assertThat(second.model()).isEqualTo(first.model());
    }

    @Test
    void withoutTrainingSetEvaluationOnlyTheHeldOutRowsAreLoggedAndTheModelIsTheSame() {
        synthetic(3000);
        TrainingData data = TrainingData.table("ml.synth").label("y").evalFraction(0.3, 11).build();
        TrainedModel watched;
        TrainedModel heldOutOnly;
        String watchedId;
        String heldOutOnlyId;
        try (Run run = experiments.startRun("synth")) {
            watchedId = run.id();
            watched = trainer.train(run, spec(data));
        }
        try (Run run = experiments.startRun("synth")) {
            heldOutOnlyId = run.id();
            heldOutOnly = trainer.train(run, TrainingSpec.builder(data).params(spec(data).params()).rounds(5).evaluateTrainingSet(false).build());
        }
        // evaluating changes what is logged, never the trees
        assertThat(heldOutOnly.model()).isEqualTo(watched.model());
        assertThat(watched.metrics()).containsOnlyKeys("train-logloss", "eval-logloss");
        assertThat(heldOutOnly.metrics()).containsOnlyKeys("eval-logloss").containsEntry("eval-logloss", watched.metrics().get("eval-logloss"));
        assertThat(experiments.metricHistory(heldOutOnlyId, "eval-logloss")).extracting(MetricPoint::value)
                .isEqualTo(experiments.metricHistory(watchedId, "eval-logloss").stream().map(MetricPoint::value).toList()).hasSize(5);
        assertThat(experiments.metricHistory(heldOutOnlyId, "train-logloss")).isEmpty();
        assertThat(experiments.getRun(heldOutOnlyId).data().params()).containsEntry("evaluate_training_set", "false");
        assertThat(experiments.getRun(watchedId).data().params()).containsEntry("evaluate_training_set", "true");
    }

    @Test
    void withNoRowsEvaluatedEveryRoundIsKeptAndEarlyStoppingIsRefused() {
        synthetic(3000);
        TrainingData data = TrainingData.table("ml.synth").label("y").build();
        TrainedModel watched;
        TrainedModel unwatched;
        String unwatchedId;
        try (Run run = experiments.startRun("synth")) {
            watched = trainer.train(run, spec(data));
        }
        try (Run run = experiments.startRun("synth")) {
            unwatchedId = run.id();
            unwatched = trainer.train(run, TrainingSpec.builder(data).params(spec(data).params()).rounds(5).evaluateTrainingSet(false).build());
        }
        // the same trees; only the attributes differ, as there is no best score without a metric
        assertThat(trees(unwatched)).isEqualTo(trees(watched));
        assertThat(new String(unwatched.model(), StandardCharsets.UTF_8)).contains("\"best_iteration\":\"4\"").doesNotContain("best_score");
        assertThat(unwatched.metrics()).isEmpty();
        assertThat(unwatched.rounds()).isEqualTo(5);
        assertThat(unwatched.bestIteration()).isEqualTo(4);
        assertThat(experiments.getRun(unwatchedId).data().metrics()).containsOnlyKeys("best_iteration");
        assertThat(experiments.getRun(unwatchedId).data().tags()).doesNotContainKey("kiln.early_stopping_metric");
        assertThatThrownBy(() -> TrainingSpec.builder(data).rounds(50).earlyStoppingRounds(5).evaluateTrainingSet(false).build())
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("Early stopping").hasMessageContaining("evalFraction");
        // a split too small to hold a row out is only known once the rows are read, and refused before anything is logged
        TrainingSpec tooFewHeldOut = TrainingSpec.builder(TrainingData.query("SELECT * FROM ml.synth LIMIT 3").label("y").evalFraction(0.01, 1).build())
                .rounds(50).earlyStoppingRounds(5).evaluateTrainingSet(false).build();
        String refusedId;
        try (Run run = experiments.startRun("synth")) {
            refusedId = run.id();
            assertThatThrownBy(() -> trainer.train(run, tooFewHeldOut)).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("held none out");
        }
        assertThat(experiments.getRun(refusedId).data().params()).as("refused before anything is logged").isEmpty();
        String parentId;
        try (Run parent = experiments.startRun("synth")) {
            parentId = parent.id();
            assertThatThrownBy(() -> trainer.search(parent, TrainingSpec.builder(data).rounds(5).evaluateTrainingSet(false).build(),
                    SearchSpace.grid(Map.of("max_depth", List.of(2, 3))), "train-logloss", false))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("evaluates no rows");
        }
        assertThat(experiments.searchRuns(RunQuery.builder("synth").filter("tags.mlflow.parentRunId = '" + parentId + "'").build()).runs())
                .as("no trial was started").isEmpty();
    }

    /** A JSON model from its trees on, past the attributes. */
    private static String trees(TrainedModel model) {
        String json = new String(model.model(), StandardCharsets.UTF_8);
        return json.substring(json.indexOf("\"gradient_booster\""));
    }

    @Test
    void aWideTableReadInColumnGroupsTrainsTheSameModelAsTheSameRowsFromOneQuery() {
        // A table is counted first and read into exactly sized arrays, at most COLUMNS_PER_READ columns per
        // scan of the same snapshot (here 10 features + label + weight: two scans, label and weight in the
        // second); a query is read in one go and grows its arrays as rows come. Three appends give the table
        // three files, whose order every scan must keep.
        StringBuilder columns = new StringBuilder("a DOUBLE, b DOUBLE");
        StringBuilder values = new StringBuilder();
        int[] primes = {101, 211, 307, 401, 503, 601, 701, 809};
        for (int c = 0; c < primes.length; c++) {
            columns.append(", c").append(c).append(" DOUBLE");
            values.append("((i * ").append(primes[c]).append(") % 1013) / 1013.0 AS c").append(c).append(", ");
        }
        Table big = kiln.lakehouse().createTable(TableDefinition.builder("ml.big").schema(columns + ", w DOUBLE, y INT").build());
        for (int part = 0; part < 3; part++) {
            big.append(WriteSource.query("SELECT ((i * 7919) % 1009) / 1009.0 AS a, ((i * 104729) % 997) / 997.0 AS b, " + values
                    + "1 + (i % 3) AS w, CASE WHEN ((i * 7919) % 1009) / 1009.0 + ((i * 31) % 10) / 20.0 + ((i * 601) % 1013) / 5065.0 > 0.8 "
                    + "THEN 1 ELSE 0 END AS y FROM range(" + part * 90_000 + ", " + (part + 1) * 90_000 + ") r(i)"));
        }
        assertThat(big.latest().scan().ordered()).isTrue();
        TrainedModel fromTable;
        TrainedModel fromQuery;
        try (Run run = experiments.startRun("sized")) {
            fromTable = trainer.train(run, spec(TrainingData.table("ml.big").label("y").weight("w").evalFraction(0.2, 9).build()));
        }
        try (Run run = experiments.startRun("grown")) {
            fromQuery = trainer.train(run, spec(TrainingData.query("SELECT * FROM ml.big").label("y").weight("w").evalFraction(0.2, 9).build()));
        }
        assertThat(fromTable.featureNames()).containsExactly("a", "b", "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7");
        assertThat(fromTable.metrics()).containsKeys("train-logloss", "eval-logloss");
        assertThat(fromTable.metrics()).isEqualTo(fromQuery.metrics());
        assertThat(fromTable.model()).isEqualTo(fromQuery.model());
    }

    @Test
    void aNullLabelHalfwayThroughASizedReadIsRefusedAndTheFilteredRowsStillTrain() {
        kiln.lakehouse().createTable(TableDefinition.builder("ml.gaps").schema("a DOUBLE, y INT").build())
                .append(WriteSource.query("SELECT (i % 97) / 97.0 AS a, CASE WHEN i = 1500 THEN NULL ELSE (i % 2)::INT END AS y FROM range(3000) r(i)"));
        try (Run run = experiments.startRun("gaps")) {
            assertThatThrownBy(() -> trainer.train(run, spec(TrainingData.table("ml.gaps").label("y").build())))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("NULL label").hasMessageContaining("filter");
        }
        TrainedModel model;
        try (Run run = experiments.startRun("filtered")) {
            model = trainer.train(run, spec(TrainingData.query("SELECT * FROM ml.gaps WHERE y IS NOT NULL").label("y").build()));
        }
        assertThat(model.rounds()).isEqualTo(5);
        assertThat(model.featureNames()).containsExactly("a");
    }

    private static TrainingSpec spec(TrainingData data) {
        return TrainingSpec.builder(data).param("objective", "binary:logistic").param("max_depth", 3).param("seed", 1)
                .param("nthread", 2).rounds(5).build();
    }

    @Test
    void aSearchWhoseTrialFailsReturnsOnlyAfterTheOtherTrialsHaveEnded() {
        synthetic(20_000);
        // max_depth = -1 is refused by XGBoost at once; the other trial takes its time, in parallel on two cores
        TrainingSpec base = TrainingSpec.builder(TrainingData.table("ml.synth").label("y").build())
                .param("objective", "binary:logistic").rounds(150).build();
        String parentId;
        try (Run parent = experiments.startRun("failing-search")) {
            parentId = parent.id();
            assertThatThrownBy(() -> trainer.search(parent, base, SearchSpace.grid(Map.of("max_depth", List.of(-1, 8))), "train-logloss", false))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("max_depth");
        }
        List<RunRecord> trials = experiments.searchRuns(RunQuery.builder("failing-search")
                .filter("tags.mlflow.parentRunId = '" + parentId + "'").build()).runs();
        assertThat(trials).hasSize(2);
        assertThat(trials).extracting(r -> r.info().status()).containsExactlyInAnyOrder(RunStatus.FAILED, RunStatus.FINISHED);
    }

    @Test
    void aGridSearchRunsEachTrialAsANestedRunAndPicksTheBest() {
        synthetic(2000);
        TrainingSpec base = TrainingSpec.builder(TrainingData.table("ml.synth").label("y").evalFraction(0.25, 5).build())
                .param("objective", "binary:logistic").param("eval_metric", "auc").rounds(20).build();
        SearchResult result;
        try (Run parent = experiments.startRun("search")) {
            result = trainer.search(parent, base, SearchSpace.grid(Map.of("max_depth", List.of(1, 4), "eta", List.of(0.1, 0.5))),
                    "eval-auc", true);
        }
        assertThat(result.trials()).hasSize(4);
        double bestAuc = result.trials().stream().mapToDouble(t -> t.metrics().get("eval-auc")).max().orElseThrow();
        assertThat(result.best().metrics().get("eval-auc")).isEqualTo(bestAuc);
        for (TrainedModel trial : result.trials()) {
            assertThat(experiments.getRun(trial.runId()).data().tags()).containsEntry("mlflow.parentRunId", result.parentRunId());
        }
        assertThat(experiments.getRun(result.parentRunId()).data().tags()).containsEntry("kiln.best_run_id", result.best().runId());
    }

    @Test
    void badColumnsAreRefusedByName() {
        synthetic(100);
        kiln.lakehouse().createTable(TableDefinition.builder("ml.text").schema("s STRING, y INT").build())
                .append(WriteSource.values(List.<Object[]>of(new Object[] {"a", 1})));
        try (Run run = experiments.startRun("bad")) {
            assertThatThrownBy(() -> trainer.train(run, TrainingSpec.builder(TrainingData.table("ml.synth").label("nope").build()).build()))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("nope");
            assertThatThrownBy(() -> trainer.train(run, TrainingSpec.builder(TrainingData.table("ml.text").label("y").build()).build()))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("'s'").hasMessageContaining("STRING");
            assertThatThrownBy(() -> trainer.train(run, TrainingSpec.builder(TrainingData.table("ml.synth").label("y").build())
                    .param("objective", "no:such").rounds(2).build())).isInstanceOf(InvalidArgumentException.class);
        }
    }
}
