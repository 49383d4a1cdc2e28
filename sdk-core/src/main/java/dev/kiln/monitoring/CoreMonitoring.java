package dev.kiln.monitoring;

import dev.kiln.InvalidArgumentException;
import dev.kiln.experiments.Experiments;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.MergeSpec;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.WriteSource;
import dev.kiln.models.ModelRegistry;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@link Monitoring} implementation over a lakehouse; also the factory of inference loggers.
 */
public final class CoreMonitoring implements Monitoring {
    private final Lakehouse lakehouse;
    private final Clock clock;
    private final DataProfiler profiler;
    private final Monitor monitor;
    private final ModelTargets modelTargets;

    /**
     * Creates the monitoring area over tables only: {@code models:/} targets are refused.
     *
     * @param lakehouse the workspace's lakehouse
     * @param clock the clock for windows, freshness and timestamps
     */
    public CoreMonitoring(Lakehouse lakehouse, Clock clock) {
        this(lakehouse, clock, null);
    }

    /**
     * Creates the monitoring area of a workspace, where monitors may name a model URI.
     *
     * @param lakehouse the workspace's lakehouse
     * @param models the registry resolving {@code models:/} targets
     * @param experiments the tracking store holding the runs that trained model versions
     * @param clock the clock for windows, freshness and timestamps
     */
    public CoreMonitoring(Lakehouse lakehouse, ModelRegistry models, Supplier<Experiments> experiments, Clock clock) {
        this(lakehouse, clock, new ModelTargets(models, experiments));
    }

    private CoreMonitoring(Lakehouse lakehouse, Clock clock, ModelTargets modelTargets) {
        this.lakehouse = lakehouse;
        this.clock = clock;
        this.profiler = new DataProfiler(lakehouse, clock);
        this.monitor = new Monitor(lakehouse, clock);
        this.modelTargets = modelTargets;
    }

    @Override
    public TableProfile profile(String table, String timeColumn) {
        return profiler.profile(table, timeColumn);
    }

    @Override
    public MonitorResult run(MonitorSpec spec) {
        return monitor.run(ModelTargets.resolve(spec, modelTargets));
    }

    @Override
    public void addAlertListener(AlertListener listener) {
        monitor.addListener(listener);
    }

    @Override
    public void removeAlertListener(AlertListener listener) {
        monitor.removeListener(listener);
    }

    @Override
    public long joinLabels(String inferenceTable, String groundTruth, String keyColumn, String labelColumn) {
        TableRef.parse(inferenceTable);
        TableRef.parse(groundTruth);
        String k = DataProfiler.quote(keyColumn);
        String l = DataProfiler.quote(labelColumn);
        try (Rows dup = lakehouse.sql("SELECT count(*) FROM (SELECT " + k + " FROM " + groundTruth + " GROUP BY "
                + k + " HAVING count(*) > 1)")) {
            dup.next();
            if (((Number) dup.get(0)).longValue() > 0) {
                throw new InvalidArgumentException("Ground truth " + groundTruth + " has several rows for some "
                        + keyColumn + " values; deduplicate it first.");
            }
        }
        String matched = "FROM " + inferenceTable + " i JOIN " + groundTruth + " g ON i." + k + " = g." + k
                + " WHERE i.label IS NULL AND i." + k + " IS NOT NULL AND g." + l + " IS NOT NULL";
        long n;
        try (Rows count = lakehouse.sql("SELECT count(*) " + matched)) {
            count.next();
            n = ((Number) count.get(0)).longValue();
        }
        if (n == 0) {
            return 0;
        }
        lakehouse.table(inferenceTable).merge(MergeSpec.builder(WriteSource.query(
                "SELECT i.* REPLACE (CAST(g." + l + " AS DOUBLE) AS label) " + matched), keyColumn)
                .whenMatchedUpdateAll().build());
        return n;
    }

    /**
     * Starts an inference logger for a model version writing to {@code inference.<model>}.
     *
     * @param modelName the model name
     * @param modelVersion the model version
     * @param featureNames the input features in row order
     * @return a builder (capacity, sampling, batching)
     */
    public InferenceLogger.Builder inferenceLogger(String modelName, long modelVersion, List<String> featureNames) {
        return InferenceLogger.builder(lakehouse, modelName, modelVersion, featureNames).clock(clock);
    }
}
