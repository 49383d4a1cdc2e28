package dev.kiln.benchmarks;

import dev.kiln.benchmarks.experiments.LogMetricCallBenchmark;
import dev.kiln.benchmarks.experiments.LogMetricsBenchmark;
import dev.kiln.benchmarks.experiments.SearchRunsBenchmark;
import dev.kiln.benchmarks.features.OnlineLookupBenchmark;
import dev.kiln.benchmarks.features.PredictByKeyBenchmark;
import dev.kiln.benchmarks.features.TrainingSetBenchmark;
import dev.kiln.benchmarks.lakehouse.AppendThroughputBenchmark;
import dev.kiln.benchmarks.lakehouse.CommitLatencyBenchmark;
import dev.kiln.benchmarks.lakehouse.ScanToArrowBenchmark;
import dev.kiln.benchmarks.lakehouse.SnapshotOpenBenchmark;
import dev.kiln.benchmarks.monitoring.InferenceLoggingBenchmark;
import dev.kiln.benchmarks.predict.ServingBenchmark;
import dev.kiln.benchmarks.predict.BatchBenchmark;
import dev.kiln.benchmarks.predict.SingleRowBenchmark;
import dev.kiln.benchmarks.training.TrainingOverheadBenchmark;
import java.util.List;
import java.util.Map;

/**
 * One benchmark class of the suite: its baseline, and how much of it the short and the full suite run.
 *
 * @param benchmark the class
 * @param pairing which of its figures are baselines
 * @param shortParams {@code @Param} overrides for the short suite (smaller sizes, fewer variants)
 * @param shortBudget iterations of the short suite
 * @param fullBudget iterations of the full suite (at the sizes the class declares)
 */
record SuiteEntry(Class<?> benchmark, Pairing pairing, Map<String, String[]> shortParams, Budget shortBudget, Budget fullBudget) {

    /**
     * Warm-up and measurement iterations; {@code seconds} 0 keeps the class's (or JMH's) iteration time.
     *
     * @param warmups warm-up iterations
     * @param measurements measured iterations
     * @param seconds length of an iteration, 0 for the default (single-shot benchmarks ignore it)
     */
    record Budget(int warmups, int measurements, int seconds) {
    }

    SuiteEntry {
        shortParams = Map.copyOf(shortParams);
    }

    /** Every class of the suite. Short sizes are chosen so the whole short suite stays under 10 minutes on 2 cores. */
    static List<SuiteEntry> all() {
        Budget quick = new Budget(1, 2, 1);
        Budget shots = new Budget(1, 2, 0);
        return List.of(
                new SuiteEntry(AppendThroughputBenchmark.class, Pairing.byParam("AppendThroughputBenchmark", "impl", "duckdb-copy"),
                        Map.of("rows", new String[] {"200000"}), shots, new Budget(1, 5, 0)),
                new SuiteEntry(ScanToArrowBenchmark.class, Pairing.byParam("ScanToArrowBenchmark", "impl", "duckdb-read_parquet"),
                        Map.of("rows", new String[] {"500000"}), quick, new Budget(2, 5, 0)),
                new SuiteEntry(CommitLatencyBenchmark.class, Pairing.byParam("CommitLatencyBenchmark", "impl", "duckdb-copy"),
                        Map.of(), quick, new Budget(2, 5, 0)),
                new SuiteEntry(SnapshotOpenBenchmark.class, Pairing.byParam("SnapshotOpenBenchmark", "impl", "json-replay"),
                        Map.of("commits", new String[] {"200"}), quick, new Budget(3, 5, 0)),
                new SuiteEntry(TrainingSetBenchmark.class, Pairing.byMethod("TrainingSetBenchmark",
                        Map.of("kilnMaterialised", List.of("duckdbAsofOrderedMaterialised", "duckdbAsofMaterialised"),
                                "kilnAggregated", List.of("duckdbAsofAggregated"), "kilnAggregatedUnordered", List.of("duckdbAsofAggregated"))),
                        Map.of("spineRows", new String[] {"200000"}, "featureRows", new String[] {"20000"}), shots, new Budget(1, 3, 0)),
                new SuiteEntry(OnlineLookupBenchmark.class, Pairing.byMethod("OnlineLookupBenchmark", Map.of("kilnOnlineGet", List.of("concurrentHashMapGet"))),
                        Map.of("keys", new String[] {"100000"}), quick, new Budget(1, 3, 0)),
                new SuiteEntry(PredictByKeyBenchmark.class, Pairing.byParam("PredictByKeyBenchmark", "impl", "map-xgboost4j", "map-kiln"),
                        Map.of("keys", new String[] {"100000"}), quick, new Budget(1, 3, 0)),
                new SuiteEntry(SingleRowBenchmark.class, Pairing.byParam("SingleRowBenchmark", "impl", "xgboost4j"),
                        Map.of("shape", new String[] {"100x6"}), quick, new Budget(2, 3, 2)),
                new SuiteEntry(BatchBenchmark.class, Pairing.byParam("BatchBenchmark", "impl", "xgboost4j-prebuilt", "xgboost4j-with-dmatrix"),
                        Map.of("rows", new String[] {"100000"}), quick, new Budget(2, 3, 2)),
                new SuiteEntry(ServingBenchmark.class, Pairing.byParam("ServingBenchmark", "path", "embedded"),
                        Map.of(), quick, new Budget(4, 3, 4)),
                new SuiteEntry(LogMetricCallBenchmark.class, Pairing.byParam("LogMetricCallBenchmark", "impl", "memory"),
                        Map.of(), quick, new Budget(2, 3, 0)),
                new SuiteEntry(LogMetricsBenchmark.class, Pairing.byParam("LogMetricsBenchmark", "impl", "memory"),
                        Map.of("runs", new String[] {"100"}), shots, new Budget(1, 3, 0)),
                new SuiteEntry(SearchRunsBenchmark.class, Pairing.byParam("SearchRunsBenchmark", "impl", "duckdb-sql"),
                        Map.of("runs", new String[] {"5000"}), quick, new Budget(3, 5, 0)),
                new SuiteEntry(InferenceLoggingBenchmark.class, Pairing.byParam("InferenceLoggingBenchmark", "logging", "off"),
                        Map.of(), quick, new Budget(2, 3, 2)),
                new SuiteEntry(TrainingOverheadBenchmark.class, Pairing.byParam("TrainingOverheadBenchmark", "impl", "xgboost4j", "xgboost4j-watched"),
                        Map.of("rows", new String[] {"100000"}, "rounds", new String[] {"20"}), shots, new Budget(1, 3, 0)));
    }
}
