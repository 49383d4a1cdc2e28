package dev.kiln.duckdb.delta;

/**
 * The {@code domainMetadata} action.
 *
 * @param domain domain name
 * @param configuration the domain's configuration (a JSON string)
 * @param removed true for a tombstone
 */
public record DomainMetadata(String domain, String configuration, boolean removed) implements Action {
}
