package dev.kiln.experiments;

import dev.kiln.InvalidArgumentException;

/**
 * One logged value of a metric.
 *
 * @param key the metric name
 * @param value the value; NaN and infinities are allowed
 * @param step the step (boosting round, epoch...), 0 if not given
 * @param timestamp when it was logged, in milliseconds since the epoch
 */
public record MetricPoint(String key, double value, long step, long timestamp) {

    /**
     * Checks the key.
     *
     * @param key the metric name
     * @param value the value
     * @param step the step
     * @param timestamp the time in milliseconds
     * @throws InvalidArgumentException if the key is null or blank
     */
    public MetricPoint {
        if (key == null || key.isBlank()) {
            throw new InvalidArgumentException("A metric needs a non-blank key, e.g. \"auc\".");
        }
    }

    /**
     * Tells whether this point is more recent than another one in MLflow's sense of "latest":
     * the larger step wins, then the later timestamp, then the larger value (NaN is largest).
     *
     * @param other another point of the same metric
     * @return true if this point supersedes {@code other} as the latest value
     */
    public boolean isLaterThan(MetricPoint other) {
        if (step != other.step) {
            return step > other.step;
        }
        if (timestamp != other.timestamp) {
            return timestamp > other.timestamp;
        }
        return Double.compare(value, other.value) > 0;
    }
}
