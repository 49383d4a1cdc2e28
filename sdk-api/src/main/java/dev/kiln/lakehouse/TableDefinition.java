package dev.kiln.lakehouse;

import dev.kiln.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a new table looks like: its name, columns, partition columns, description and properties.
 * Reached through {@link #builder(String)}.
 *
 * @param name the table name, {@code schema.table}
 * @param schema the columns
 * @param partitionColumns the partition columns, a subset of the schema, in order
 * @param description a description, or empty
 * @param properties Delta table properties ({@code delta.*}) and user properties
 */
public record TableDefinition(String name, Schema schema, List<String> partitionColumns, String description,
        Map<String, String> properties) {

    /**
     * Checks that the partition columns exist and are primitive.
     *
     * @param name the table name
     * @param schema the columns
     * @param partitionColumns the partition columns
     * @param description a description
     * @param properties the properties
     * @throws InvalidArgumentException if a partition column is missing from the schema or nested
     */
    public TableDefinition {
        if (schema == null) {
            throw new InvalidArgumentException("Table '" + name + "' needs a schema, e.g. schema(\"id BIGINT, x DOUBLE\").");
        }
        partitionColumns = List.copyOf(partitionColumns);
        description = description == null ? "" : description;
        properties = Map.copyOf(properties);
        for (String column : partitionColumns) {
            Field field = schema.field(column).orElseThrow(() -> new InvalidArgumentException(
                    "Partition column '" + column + "' of table '" + name + "' is not in its schema " + schema + "."));
            if (!(field.type() instanceof DataType.Primitive)) {
                throw new InvalidArgumentException("Partition column '" + column + "' of table '" + name
                        + "' has type " + field.type().sql() + "; partition by a column of a primitive type.");
            }
        }
        if (partitionColumns.size() == schema.fields().size()) {
            throw new InvalidArgumentException("Table '" + name + "' cannot be partitioned by every column; keep at least one data column.");
        }
    }

    /**
     * Starts describing a table.
     *
     * @param name the table name, {@code schema.table}
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a {@link TableDefinition}. */
    public static final class Builder {
        private final String name;
        private Schema schema;
        private final List<String> partitionColumns = new ArrayList<>();
        private String description = "";
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Sets the columns.
         *
         * @param schema the columns
         * @return this builder
         */
        public Builder schema(Schema schema) {
            this.schema = schema;
            return this;
        }

        /**
         * Sets the columns from DDL.
         *
         * @param ddl the columns, e.g. {@code "id BIGINT, x DOUBLE"}
         * @return this builder
         * @throws InvalidArgumentException if the DDL is malformed
         */
        public Builder schema(String ddl) {
            return schema(Schema.parse(ddl));
        }

        /**
         * Adds partition columns.
         *
         * @param columns column names from the schema
         * @return this builder
         */
        public Builder partitionBy(String... columns) {
            partitionColumns.addAll(List.of(columns));
            return this;
        }

        /**
         * Sets the description.
         *
         * @param text the description
         * @return this builder
         */
        public Builder description(String text) {
            this.description = text;
            return this;
        }

        /**
         * Sets a table property, e.g. {@code delta.checkpointInterval}.
         *
         * @param key the property name
         * @param value the property value
         * @return this builder
         */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /**
         * Builds the definition.
         *
         * @return the definition
         * @throws InvalidArgumentException if the schema is missing or a partition column is invalid
         */
        public TableDefinition build() {
            return new TableDefinition(name, schema, partitionColumns, description, properties);
        }
    }
}
