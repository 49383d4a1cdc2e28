package dev.kiln.duckdb.delta;

import java.time.Instant;
import java.util.Map;

/**
 * One version in a table's history.
 *
 * @param version the version
 * @param timestamp commit time (in-commit timestamp, else commitInfo.timestamp, else file modification time)
 * @param commitInfo the commit's {@code commitInfo} values, empty if none
 */
public record CommitEntry(long version, Instant timestamp, Map<String, Object> commitInfo) {
}
