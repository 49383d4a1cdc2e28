package dev.kiln.monitoring;

import dev.kiln.lakehouse.Lakehouse;
import java.time.Clock;
import java.util.List;

/**
 * The {@link Monitoring} implementation over a lakehouse; also the factory of inference loggers.
 */
public final class CoreMonitoring implements Monitoring {
    private final Lakehouse lakehouse;
    private final Clock clock;
    private final DataProfiler profiler;
    private final Monitor monitor;

    /**
     * Creates the monitoring area.
     *
     * @param lakehouse the workspace's lakehouse
     * @param clock the clock for windows, freshness and timestamps
     */
    public CoreMonitoring(Lakehouse lakehouse, Clock clock) {
        this.lakehouse = lakehouse;
        this.clock = clock;
        this.profiler = new DataProfiler(lakehouse, clock);
        this.monitor = new Monitor(lakehouse, clock);
    }

    @Override
    public TableProfile profile(String table, String timeColumn) {
        return profiler.profile(table, timeColumn);
    }

    @Override
    public MonitorResult run(MonitorSpec spec) {
        return monitor.run(spec);
    }

    @Override
    public void addAlertListener(AlertListener listener) {
        monitor.addListener(listener);
    }

    @Override
    public void removeAlertListener(AlertListener listener) {
        monitor.removeListener(listener);
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
