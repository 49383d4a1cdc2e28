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
     */
    TableProfile profile(String table, String timeColumn);

    /**
     * Runs a monitor: computes the statistics, appends them to the metrics table and calls the alert
     * listeners for every statistic that crossed a threshold.
     *
     * @param spec what to compare
     * @return the statistics and alerts
     * @throws dev.kiln.NotFoundException if a table does not exist
     * @throws dev.kiln.InvalidArgumentException if a reference or column is invalid
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
}
