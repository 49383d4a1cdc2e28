/**
 * Monitoring: data-quality profiles of tables, drift monitors that compare a window of an inference
 * table (or any table version) against a baseline, a metrics table and alerts.
 *
 * <pre>{@code
 * Monitoring monitoring = kiln.monitoring();
 * TableProfile profile = monitoring.profile("fs.customer", "ts");      // nulls, ranges, freshness
 * monitoring.addAlertListener(alert -> log.warn(alert.message()));
 * MonitorResult result = monitoring.run(MonitorSpec.builder("inference.churn", "ml.train@4")
 *         .window("ts", Duration.ofDays(1), null)
 *         .threshold(Threshold.above("psi", 0.1).forFeature("spend_30d"))
 *         .build());
 * // SELECT * FROM monitoring.metrics WHERE feature = 'spend_30d' AND statistic = 'psi' ORDER BY window_end
 * }</pre>
 *
 * <p>Per numeric feature a monitor reports count, null_rate, mean, stddev, min, max, psi (on ten bins
 * at the baseline's deciles, empty bins at 1e-4), ks and ks_pvalue (two-sample Kolmogorov-Smirnov,
 * asymptotic p-value) and js (Jensen-Shannon distance, base 2, same bins); per categorical feature
 * count, null_rate, distinct, psi, js and freq:CATEGORY. The prediction column gets its distribution
 * (mean, stddev, deciles) and, where labels are filled, auc and logloss (0/1 labels) and rmse.
 */
package dev.kiln.monitoring;
