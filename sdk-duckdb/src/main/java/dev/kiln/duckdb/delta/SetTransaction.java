package dev.kiln.duckdb.delta;

/**
 * The {@code txn} action: an application's idempotency marker.
 *
 * @param appId application id
 * @param version application-specific version
 * @param lastUpdated time, epoch milliseconds, or null
 */
public record SetTransaction(String appId, long version, Long lastUpdated) implements Action {
}
