package dev.kiln.samples;

import dev.kiln.Kiln;
import dev.kiln.PermissionDeniedException;
import dev.kiln.Principal;
import dev.kiln.features.TrainingSetLineage;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.models.ModelVersion;
import dev.kiln.models.TableRef;
import dev.kiln.models.TrainingLineage;
import dev.kiln.models.VersionSpec;
import dev.kiln.experiments.Run;
import dev.kiln.features.FeatureLookup;
import dev.kiln.features.KeyedPredictors;
import dev.kiln.features.FeatureStore;
import dev.kiln.features.FeatureTable;
import dev.kiln.features.Spine;
import dev.kiln.features.TrainingSet;
import dev.kiln.features.TrainingSetSpec;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Table;
import dev.kiln.predict.KeyedPredictor;
import dev.kiln.predict.Predictor;
import dev.kiln.training.SearchResult;
import dev.kiln.training.SearchSpace;
import dev.kiln.training.TrainedModel;
import dev.kiln.training.Trainer;
import dev.kiln.training.TrainingData;
import dev.kiln.training.TrainingSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The churn quickstart: the whole lifecycle on a generated retail data set. Raw tables are ingested
 * into the lakehouse, feature tables are built with SQL, a point-in-time training set joins them to
 * the churn labels, a hyper-parameter search trains 24 XGBoost models as nested runs, and the best
 * is reported. Running it again on the same workspace adds new versions.
 */
public final class ChurnQuickstart {
    /** The experiment the runs are logged to. */
    public static final String EXPERIMENT = "churn";
    /** The training set table. */
    public static final String TRAINING_TABLE = "ml.churn_training";

    private ChurnQuickstart() {
    }

    /** What a run of the quickstart produced, for the caller (and the tests) to check. */
    public record Result(long trainingRows, int featureCount, SearchResult search, Scoring scoring, long championVersion) {
    }

    /** Who may promote models in the quickstart, and who may not. */
    static final Principal RELEASE_MANAGER = Principal.of("release-manager");
    static final Principal ANALYST = Principal.of("analyst");

    /**
     * Scoring customers by id through the online store with the best model.
     *
     * @param scored how many customers were scored
     * @param p50Micros median latency of one by-key prediction, in microseconds
     * @param p99Micros 99th percentile, in microseconds
     * @param meanChurners mean predicted churn probability of customers who churned
     * @param meanStayers mean predicted churn probability of customers who stayed
     */
    public record Scoring(int scored, double p50Micros, double p99Micros, double meanChurners, double meanStayers) {
    }

    /**
     * Runs the quickstart.
     *
     * @param workspace the workspace folder
     * @param customers how many customers to generate
     * @param out where to print the summary
     * @return what was built
     */
    public static Result run(Path workspace, int customers, PrintStream out) {
        long started = System.nanoTime();
        try (Kiln kiln = Kiln.open(workspace)) {
            out.printf("Kiln churn quickstart in %s (%,d customers)%n", kiln.root(), customers);
            long[] counts = ChurnData.generate(kiln.lakehouse(), customers, 42);
            out.printf("  ingested: %,d customers, %,d labels, %,d transactions (10%% late), %,d page views, %,d tickets%n",
                    counts[0], counts[1], counts[2], counts[3], counts[4]);

            FeatureStore features = kiln.features();
            List<FeatureTable> tables = ChurnFeatures.build(features);
            int featureCount = 0;
            for (FeatureTable t : tables) {
                featureCount += t.features().size();
                out.printf("  feature table %-28s v%-3d %2d features: %s%n", t.name(), t.table().latest().version(), t.features().size(),
                        String.join(", ", t.features()));
            }

            kiln.lakehouse().createSchemaIfNotExists("ml");
            TrainingSetSpec.Builder spec = TrainingSetSpec.builder(Spine.table(ChurnData.SCHEMA + ".churn_labels", "label_time"));
            for (FeatureTable t : tables) {
                spec.lookup(FeatureLookup.builder(t.name()).build());
            }
            long trainingRows;
            List<FeatureLookup> lookups;
            TrainingSetLineage setLineage;
            try (TrainingSet set = features.trainingSet(spec.build())) {
                lookups = set.lineage().lookups();
                setLineage = set.lineage();
                Table written = set.writeTo(TRAINING_TABLE);
                trainingRows = written.latest().scan().count();
                out.printf("  training set %s v%d: %,d rows, point-in-time joined from %d feature tables%n", TRAINING_TABLE,
                        written.latest().version(), trainingRows, set.lineage().featureTables().size());
            }

            TrainingSpec base = TrainingSpec.builder(TrainingData.table(TRAINING_TABLE).label("churned")
                    .features(trainingFeatures(tables)).evalFraction(0.2, 7).build())
                    .param("objective", "binary:logistic").param("eval_metric", "auc").param("tree_method", "hist").param("seed", 1)
                    .rounds(80).earlyStoppingRounds(10).build();
            SearchSpace grid = SearchSpace.grid(Map.of("max_depth", List.of(3, 5, 7), "eta", List.of(0.1, 0.3),
                    "min_child_weight", List.of(1, 5), "subsample", List.of(0.8, 1.0)));
            SearchResult search;
            try (Run parent = kiln.experiments().startRun(EXPERIMENT)) {
                search = Trainer.find(kiln.lakehouse()).search(parent, base, grid, "eval-auc", true);
            }
            out.printf("  trained %d models as nested runs of run %s%n", search.trials().size(), search.parentRunId());
            out.println("  top runs by validation AUC:");
            out.printf("    %-34s %-8s %-6s %-9s %-6s %-7s%n", "run", "eval-auc", "depth", "eta", "mcw", "rounds");
            List<TrainedModel> ranked = new ArrayList<>(search.trials());
            ranked.sort(Comparator.comparing((TrainedModel m) -> m.metrics().get("eval-auc")).reversed());
            for (TrainedModel m : ranked.subList(0, Math.min(5, ranked.size()))) {
                Map<String, String> params = kiln.experiments().getRun(m.runId()).data().params();
                out.printf("    %-34s %-8.4f %-6s %-9s %-6s %-7d%n", m.runId(), m.metrics().get("eval-auc"), params.get("max_depth"),
                        params.get("eta"), params.get("min_child_weight"), m.rounds());
            }
            out.printf("  best: run %s, eval-auc %.4f%n", search.best().runId(), search.best().metrics().get("eval-auc"));
            long champion = promote(kiln, workspace, search.best(), setLineage, tables, out);
            // the predictor follows @champion: when the alias moves, the next request scores with the new version
            Predictor live = kiln.models().load("models:/churn@champion");
            Scoring scoring = score(kiln, live, lookups, Math.min(customers, 2000));
            out.printf("  scored %,d customers by id through the online store: p50 %.1f µs, p99 %.1f µs; "
                    + "mean churn probability %.3f for churners vs %.3f for stayers%n", scoring.scored(), scoring.p50Micros(),
                    scoring.p99Micros(), scoring.meanChurners(), scoring.meanStayers());
            out.printf("  done in %.1f s%n", (System.nanoTime() - started) / 1e9);
            return new Result(trainingRows, featureCount, search, scoring, champion);
        }
    }

    /**
     * Registers the best model with its lineage, lets a principal with MANAGE move {@code @champion}
     * to it, shows that one without MANAGE is refused, and prints the champion's lineage.
     */
    private static long promote(Kiln kiln, Path workspace, TrainedModel best, TrainingSetLineage setLineage, List<FeatureTable> tables,
            PrintStream out) {
        TrainingLineage.Builder lineage = TrainingLineage.builder().trainingSet(TRAINING_TABLE);
        setLineage.spineVersions().forEach((table, version) -> lineage.spine(TableRef.of(table, version)));
        for (TrainingSetLineage.TableVersion ft : setLineage.featureTables()) {
            List<TableRef> sources = new ArrayList<>();
            for (FeatureTable t : tables) {
                if (t.name().equals(ft.table())) {
                    t.definition().sourceVersions().forEach((table, version) -> sources.add(TableRef.of(table, version)));
                }
            }
            lineage.featureTable(TableRef.of(ft.table(), ft.version()), sources.toArray(TableRef[]::new));
        }
        ModelVersion version = kiln.models().register(VersionSpec.builder("churn").fromRun("runs:/" + best.runId() + "/" + best.artifactPath())
                .description("Best of the grid search by validation AUC").lineage(lineage.build()).build());
        out.printf("  registered models:/churn/%d from run %s%n", version.version(), best.runId());
        kiln.governance().grant(Privilege.MANAGE, Securable.model("churn"), RELEASE_MANAGER);
        try (Kiln analyst = Kiln.builder().root(workspace).principal(ANALYST).open()) {
            analyst.models().setAlias("churn", "champion", version.version());
            out.println("  unexpected: the analyst could move @champion");
        } catch (PermissionDeniedException refused) {
            out.println("  " + ANALYST + " may not move @champion: " + refused.getMessage());
        }
        try (Kiln manager = Kiln.builder().root(workspace).principal(RELEASE_MANAGER).open()) {
            manager.models().setAlias("churn", "champion", version.version());
        }
        out.printf("  %s moved models:/churn@champion to version %d%n", RELEASE_MANAGER, version.version());
        out.println("  lineage of models:/churn@champion:");
        for (String line : kiln.models().lineage("models:/churn@champion").toText().split("\n")) {
            out.println("    " + line);
        }
        return version.version();
    }

    private static Scoring score(Kiln kiln, Predictor model, List<FeatureLookup> lookups, int count) {
        Map<Long, Integer> churned = new java.util.HashMap<>();
        try (Rows rows = kiln.lakehouse().sql("SELECT customer_id, churned FROM " + ChurnData.SCHEMA + ".churn_labels ORDER BY customer_id LIMIT "
                + count)) {
            while (rows.next()) {
                churned.put((Long) rows.get(0), (Integer) rows.get(1));
            }
        }
        try (KeyedPredictor byKey = KeyedPredictors.bind(kiln.features(), model, lookups)) {
            for (long id : churned.keySet()) {
                byKey.predict(Map.of("customer_id", id)); // warm up
            }
            long[] nanos = new long[churned.size()];
            double[] sums = new double[2];
            int[] counts = new int[2];
            int i = 0;
            for (Map.Entry<Long, Integer> customer : churned.entrySet()) {
                long t0 = System.nanoTime();
                float p = byKey.predict(Map.of("customer_id", customer.getKey()));
                nanos[i++] = System.nanoTime() - t0;
                sums[customer.getValue()] += p;
                counts[customer.getValue()]++;
            }
            java.util.Arrays.sort(nanos);
            return new Scoring(nanos.length, nanos[nanos.length / 2] / 1e3, nanos[(int) (nanos.length * 0.99)] / 1e3,
                    sums[1] / Math.max(1, counts[1]), sums[0] / Math.max(1, counts[0]));
        }
    }

    private static List<String> trainingFeatures(List<FeatureTable> tables) {
        List<String> names = new ArrayList<>();
        for (FeatureTable t : tables) {
            names.addAll(t.features());
        }
        return names;
    }

    /**
     * Runs the quickstart: {@code ChurnQuickstart [workspace] [customers]}.
     *
     * @param args optional workspace folder (default {@code kiln-quickstart}) and customer count (default 100000)
     */
    public static void main(String[] args) {
        run(Path.of(args.length > 0 ? args[0] : "kiln-quickstart"), args.length > 1 ? Integer.parseInt(args[1]) : 100_000, System.out);
    }
}
