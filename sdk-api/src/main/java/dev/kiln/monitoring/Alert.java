package dev.kiln.monitoring;

import java.time.Instant;

/**
 * A statistic that crossed its threshold.
 *
 * @param target the monitored table and version
 * @param baseline the baseline table and version
 * @param windowStart start of the window (inclusive), or null for the whole table
 * @param windowEnd end of the window (exclusive), or null for the whole table
 * @param feature the feature
 * @param statistic the statistic
 * @param value its value
 * @param threshold the threshold it crossed
 */
public record Alert(TableRef target, TableRef baseline, Instant windowStart, Instant windowEnd, String feature,
        String statistic, double value, Threshold threshold) {

    /**
     * Describes the alert in one line.
     *
     * @return a message naming the feature, statistic, value and bound
     */
    public String message() {
        String bound = !Double.isNaN(threshold.max()) && value > threshold.max() ? "> " + threshold.max()
                : "< " + threshold.min();
        return target + " feature " + feature + ": " + statistic + " = " + value + " " + bound + " (baseline "
                + baseline + ")";
    }
}
