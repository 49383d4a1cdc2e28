package dev.kiln.monitoring;

/**
 * One computed statistic of one feature in one window (one row of the metrics table).
 *
 * @param feature the feature (or the prediction column for model metrics)
 * @param statistic the statistic name
 * @param value the value (NaN when undefined)
 * @param alert whether it crossed a threshold
 */
public record MetricRecord(String feature, String statistic, double value, boolean alert) {
}
