package dev.kiln.duckdb.delta;

import java.util.Map;

/**
 * The {@code commitInfo} action: free-form provenance (operation, timestamp, principal, lineage...).
 *
 * @param values the JSON object as Java values (String, Number, Boolean, List, Map, null)
 */
public record CommitInfoAction(Map<String, Object> values) implements Action {
    /**
     * Normalises null to an empty map.
     *
     * @param values values or null
     */
    public CommitInfoAction {
        values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }
}
