package dev.kiln.monitoring;

import dev.kiln.InvalidArgumentException;
import dev.kiln.experiments.Experiments;
import dev.kiln.KilnException;
import dev.kiln.governance.Governance;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.MergeSpec;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.WriteSource;
import dev.kiln.models.ModelRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;

/**
 * The {@link Monitoring} implementation over a lakehouse; also the factory of inference loggers.
 *
 * <p>Under a workspace's governance, a monitor run needs READ on its target and baseline and MODIFY
 * on its metrics table (CREATE where it will be made), and is audited as {@code monitor.run}; joining
 * labels needs MODIFY on the inference table and is audited as {@code monitor.labels.join}. Profiles
 * only read (READ on the table, checked by the lakehouse) and are not audited. An inference logger's
 * table creation and batch appends are audited by the lakehouse as table writes.
 */
public final class CoreMonitoring implements Monitoring {
    private final Lakehouse lakehouse;
    private final Clock clock;
    private final DataProfiler profiler;
    private final Monitor monitor;
    private final MonitorAccess access;
    private final ModelTargets modelTargets;

    /**
     * Creates the monitoring area without monitoring-level checks or audit (the lakehouse still
     * checks its tables); {@code models:/} targets are refused.
     *
     * @param lakehouse the workspace's lakehouse
     * @param clock the clock for windows, freshness and timestamps
     */
    public CoreMonitoring(Lakehouse lakehouse, Clock clock) {
        this(lakehouse, clock, null, null);
    }

    /**
     * Creates the monitoring area checked against a workspace's grants and audited; {@code models:/}
     * targets are refused.
     *
     * @param lakehouse the workspace's lakehouse
     * @param clock the clock for windows, freshness and timestamps
     * @param governance the workspace's governance, or null for none
     */
    public CoreMonitoring(Lakehouse lakehouse, Clock clock, Governance governance) {
        this(lakehouse, clock, governance, null);
    }

    /**
     * Creates the monitoring area of a workspace: checked against its grants, audited, and able to
     * monitor a model URI.
     *
     * @param lakehouse the workspace's lakehouse
     * @param clock the clock for windows, freshness and timestamps
     * @param governance the workspace's governance, or null for none
     * @param models the registry resolving {@code models:/} targets
     * @param experiments the tracking store holding the runs that trained model versions
     */
    public CoreMonitoring(Lakehouse lakehouse, Clock clock, Governance governance, ModelRegistry models,
            Supplier<Experiments> experiments) {
        this(lakehouse, clock, governance, new ModelTargets(models, experiments));
    }

    private CoreMonitoring(Lakehouse lakehouse, Clock clock, Governance governance, ModelTargets modelTargets) {
        this.access = new MonitorAccess(lakehouse, governance);
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
        MonitorSpec asked = spec;
        spec = ModelTargets.resolve(asked, modelTargets);
        access.checkRun(spec);
        MonitorResult result;
        try {
            result = monitor.run(spec);
        } catch (KilnException e) {
            access.failed("monitor.run", spec.target(), e);
            throw e;
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("baseline", result.baseline().toString());
        details.put("target", result.target().toString());
        if (!asked.target().equals(spec.target())) {
            details.put("model", asked.target());
        }
        details.put("alerts", String.valueOf(result.alerts().size()));
        if (spec.metricsTable() != null) {
            details.put("metricsTable", spec.metricsTable());
            details.put("metricsVersion", String.valueOf(result.metricsVersion()));
        }
        access.allowed("monitor.run", spec.target(), details);
        return result;
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
        access.checkWrite(inferenceTable, "monitor.labels.join");
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
        access.allowed("monitor.labels.join", inferenceTable, Map.of("groundTruth", groundTruth, "rows", String.valueOf(n)));
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
