package dev.kiln.experiments;

import java.util.List;
import java.util.Objects;

/**
 * A run as it stands: its info, what it logged and the datasets it used. This is what
 * {@link Experiments#getRun(String)} and searches return (MLflow's {@code Run} entity).
 *
 * @param info the run's info
 * @param data its latest metrics, params and tags
 * @param inputs the dataset inputs, in the order they were logged
 */
public record RunRecord(RunInfo info, RunData data, List<DatasetInput> inputs) {

    /**
     * Checks and copies the values.
     *
     * @param info the info
     * @param data the data
     * @param inputs the inputs
     * @throws NullPointerException if info or data is null
     */
    public RunRecord {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(data, "data");
        inputs = List.copyOf(inputs);
    }

    /**
     * Returns the run id.
     *
     * @return {@code info().runId()}
     */
    public String runId() {
        return info.runId();
    }
}
