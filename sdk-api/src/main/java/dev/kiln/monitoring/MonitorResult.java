package dev.kiln.monitoring;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one monitor run.
 *
 * @param target the monitored table and version
 * @param baseline the baseline table and version
 * @param windowStart start of the window (inclusive), or null for the whole table
 * @param windowEnd end of the window (exclusive), or null for the whole table
 * @param computedAt when it ran
 * @param rows rows in the window
 * @param baselineRows rows in the baseline
 * @param metrics every statistic computed
 * @param alerts the statistics that crossed a threshold
 * @param metricsVersion version of the metrics table holding these rows, or -1 when not written
 */
public record MonitorResult(TableRef target, TableRef baseline, Instant windowStart, Instant windowEnd,
        Instant computedAt, long rows, long baselineRows, List<MetricRecord> metrics, List<Alert> alerts,
        long metricsVersion) {

    /**
     * Finds one statistic.
     *
     * @param feature the feature
     * @param statistic the statistic
     * @return its value, or NaN when not computed
     */
    public double value(String feature, String statistic) {
        return metrics.stream().filter(m -> m.feature().equals(feature) && m.statistic().equals(statistic))
                .mapToDouble(MetricRecord::value).findFirst().orElse(Double.NaN);
    }
}
