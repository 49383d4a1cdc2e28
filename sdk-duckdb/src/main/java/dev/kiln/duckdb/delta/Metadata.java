package dev.kiln.duckdb.delta;

import dev.kiln.lakehouse.Schema;
import java.util.List;
import java.util.Map;

/**
 * The {@code metaData} action (format provider is always parquet).
 *
 * @param id table id (a GUID)
 * @param name optional user name of the table
 * @param description optional description
 * @param schemaString the schema as Spark/Delta JSON (see {@link SchemaJson})
 * @param partitionColumns partition column names (logical names), in order; empty if none
 * @param configuration table properties, e.g. {@code delta.columnMapping.mode}; empty if none
 * @param createdTime creation time in epoch milliseconds, or null
 */
public record Metadata(String id, String name, String description, String schemaString, List<String> partitionColumns,
        Map<String, String> configuration, Long createdTime) implements Action {

    /**
     * Normalises null collections to empty ones.
     *
     * @param id table id
     * @param name name or null
     * @param description description or null
     * @param schemaString schema JSON
     * @param partitionColumns partition columns or null
     * @param configuration configuration or null
     * @param createdTime creation time or null
     */
    public Metadata {
        partitionColumns = partitionColumns == null ? List.of() : List.copyOf(partitionColumns);
        configuration = configuration == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(configuration));
    }

    /**
     * Builds the metadata of a new table: a random id, the schema as JSON, created now.
     *
     * @param schema the logical schema
     * @param partitionColumns partition columns (names from the schema), or empty
     * @param configuration table properties, or empty
     * @return the metadata
     */
    public static Metadata create(Schema schema, List<String> partitionColumns, Map<String, String> configuration) {
        return new Metadata(java.util.UUID.randomUUID().toString(), null, null, SchemaJson.toJson(schema), partitionColumns, configuration,
                System.currentTimeMillis());
    }

    /**
     * Returns a copy with another schema (for schema evolution).
     *
     * @param schema the new schema
     * @return the new metadata, same id
     */
    public Metadata withSchema(Schema schema) {
        return new Metadata(id, name, description, SchemaJson.toJson(schema), partitionColumns, configuration, createdTime);
    }

    /**
     * Returns the logical schema parsed from {@link #schemaString()}.
     *
     * @return the schema (field metadata kept, e.g. column mapping ids and physical names)
     * @throws dev.kiln.StorageException if the schema string is malformed
     * @throws dev.kiln.UnsupportedFeatureException if it uses a type Kiln cannot represent
     */
    public Schema schema() {
        return SchemaJson.fromJsonCached(schemaString);
    }

    /**
     * Returns the column mapping mode from the configuration.
     *
     * @return {@code none}, {@code name} or {@code id}
     */
    public String columnMappingMode() {
        String mode = configuration.get("delta.columnMapping.mode");
        return mode == null ? "none" : mode.toLowerCase(java.util.Locale.ROOT);
    }
}
