package dev.kiln.monitoring;

import java.time.Instant;

/**
 * Data-quality profile of one column.
 *
 * @param column the column name
 * @param type its SQL type
 * @param rows rows in the table
 * @param nulls NULL values
 * @param distinct approximate distinct values
 * @param min smallest value as text (null when none)
 * @param max largest value as text (null when none)
 * @param mean mean for numeric columns, else null
 * @param stddev sample standard deviation for numeric columns, else null
 * @param newest newest value of a timestamp column, else null
 */
public record ColumnProfile(String column, String type, long rows, long nulls, long distinct, String min, String max,
        Double mean, Double stddev, Instant newest) {

    /**
     * Returns the fraction of NULL values.
     *
     * @return nulls / rows, 0 for an empty table
     */
    public double nullRate() {
        return rows == 0 ? 0 : (double) nulls / rows;
    }
}
