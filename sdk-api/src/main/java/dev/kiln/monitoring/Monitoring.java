package dev.kiln.monitoring;

/**
 * Data-quality profiles, drift monitors and alerts of a workspace.
 */
public interface Monitoring {

    /**
     * Profiles a table with SQL aggregates: per column nulls, distinct values, ranges, mean and
     * stddev; freshness from the first timestamp column.
     *
     * @param table {@code schema.table[@VERSION]}
     * @return the profile
     * @throws dev.kiln.NotFoundException if the table does not exist
     * @throws dev.kiln.InvalidArgumentException if the reference is malformed
     * @throws dev.kiln.PermissionDeniedException without READ on the table
     */
    default TableProfile profile(String table) {
        return profile(table, null);
    }

    /**
     * Profiles a table, measuring freshness on a given event-time column.
     *
     * @param table {@code schema.table[@VERSION]}
     * @param timeColumn the event-time column, or null for the first timestamp column
     * @return the profile
     * @throws dev.kiln.NotFoundException if the table does not exist
     * @throws dev.kiln.InvalidArgumentException if the reference is malformed or the column is missing
     * @throws dev.kiln.PermissionDeniedException without READ on the table
     */
    TableProfile profile(String table, String timeColumn);

    /**
     * Runs a monitor: computes the statistics, appends them to the metrics table and calls the alert
     * listeners for every statistic that crossed a threshold. A {@code models:/} target is read from
     * the model's inference table, against the data its version was trained on unless the spec names
     * a baseline (see {@link MonitorSpec}).
     *
     * @param spec what to compare
     * @return the statistics and alerts
     * @throws dev.kiln.NotFoundException if a table, model, version or alias does not exist
     * @throws dev.kiln.InvalidArgumentException if a reference or column is invalid, a table target has
     *     no baseline, or a model version records no training table and the spec no baseline
     * @throws dev.kiln.PermissionDeniedException without READ on the target or baseline, or MODIFY on the metrics table (CREATE where it is made); a monitor run is audited
     */
    MonitorResult run(MonitorSpec spec);

    /**
     * Registers an alert listener for every later run.
     *
     * @param listener the listener
     */
    void addAlertListener(AlertListener listener);

    /**
     * Removes an alert listener.
     *
     * @param listener the listener
     */
    void removeAlertListener(AlertListener listener);

    /**
     * Fills the label column of an inference table from ground truth arriving later: every row whose
     * label is NULL and whose key has a ground-truth row takes that row's label (one Delta merge).
     *
     * @param inferenceTable the inference table, {@code schema.table}
     * @param groundTruth the ground-truth table (or view-free table) holding the key and label columns
     * @param keyColumn the join key in both tables, usually {@code request_id}
     * @param labelColumn the label column in the ground-truth table (written to {@code label})
     * @return the number of rows labelled
     * @throws dev.kiln.NotFoundException if a table does not exist
     * @throws dev.kiln.InvalidArgumentException if a column is missing or a key has several ground-truth rows
     * @throws dev.kiln.PermissionDeniedException without READ on the ground truth or MODIFY on the inference table; the join is audited
     */
    long joinLabels(String inferenceTable, String groundTruth, String keyColumn, String labelColumn);
}
