package dev.kiln.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Data-quality profile of a table version.
 *
 * @param table the table and version profiled
 * @param rows its rows
 * @param columns one profile per column, in table order
 * @param timeColumn the event-time column used for freshness, or null
 * @param newestEvent the newest event time, or null
 * @param freshness age of the newest event at profiling time, or null
 * @param profiledAt when the profile was computed
 */
public record TableProfile(TableRef table, long rows, List<ColumnProfile> columns, String timeColumn,
        Instant newestEvent, Duration freshness, Instant profiledAt) {
}
