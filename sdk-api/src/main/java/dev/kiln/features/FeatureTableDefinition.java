package dev.kiln.features;

import dev.kiln.InvalidArgumentException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What makes a lakehouse table a feature table: its primary keys, event-time column, optional created-time
 * column, and documentation. Reached through {@link #builder(String)}; the store fills in the source query,
 * the versions of the tables it read and the creation time when it records the definition.
 *
 * @param name the lakehouse table, {@code schema.table}
 * @param primaryKeys the entity key columns, at least one
 * @param timestampKey the event-time column: when the feature values became true
 * @param createdColumn the created (ingestion) time column, or null: when the values were written
 * @param description a description, or empty
 * @param owner the owner, or empty
 * @param tags free-form tags, key to value (the value may be empty)
 * @param featureDescriptions a description per feature column
 * @param sourceQuery the SQL the table was created from, or empty
 * @param sourceVersions the lakehouse tables the source query read, with the versions it read
 * @param createdAt when the definition was recorded, or null before that
 * @param createdBy who recorded it, or empty
 */
public record FeatureTableDefinition(String name, List<String> primaryKeys, String timestampKey, String createdColumn,
        String description, String owner, Map<String, String> tags, Map<String, String> featureDescriptions,
        String sourceQuery, Map<String, Long> sourceVersions, Instant createdAt, String createdBy) {

    /**
     * Checks and copies the definition.
     *
     * @param name the table name
     * @param primaryKeys the key columns
     * @param timestampKey the event-time column
     * @param createdColumn the created-time column, or null
     * @param description the description
     * @param owner the owner
     * @param tags the tags
     * @param featureDescriptions the feature descriptions
     * @param sourceQuery the source query
     * @param sourceVersions the source table versions
     * @param createdAt the creation time, or null
     * @param createdBy the creator
     * @throws InvalidArgumentException if the name, keys or event-time column are missing or overlap
     */
    public FeatureTableDefinition {
        if (name == null || name.isBlank()) {
            throw new InvalidArgumentException("A feature table needs a name, schema.table (e.g. fs.customer_features).");
        }
        primaryKeys = List.copyOf(primaryKeys == null ? List.of() : primaryKeys);
        if (primaryKeys.isEmpty()) {
            throw new InvalidArgumentException("Feature table '" + name + "' needs at least one primary key column, e.g. primaryKeys(\"customer_id\").");
        }
        if (timestampKey == null || timestampKey.isBlank()) {
            throw new InvalidArgumentException("Feature table '" + name + "' needs an event-time column, e.g. timestampKey(\"ts\").");
        }
        for (String key : primaryKeys) {
            if (key.equalsIgnoreCase(timestampKey) || (createdColumn != null && key.equalsIgnoreCase(createdColumn))) {
                throw new InvalidArgumentException("Feature table '" + name + "': column '" + key
                        + "' cannot be both a primary key and the event-time or created-time column.");
            }
        }
        if (createdColumn != null && (createdColumn.isBlank() || createdColumn.equalsIgnoreCase(timestampKey))) {
            throw new InvalidArgumentException("Feature table '" + name + "': the created-time column must be a column other than the event time '"
                    + timestampKey + "'.");
        }
        description = description == null ? "" : description;
        owner = owner == null ? "" : owner;
        tags = Map.copyOf(tags == null ? Map.of() : tags);
        featureDescriptions = Map.copyOf(featureDescriptions == null ? Map.of() : featureDescriptions);
        sourceQuery = sourceQuery == null ? "" : sourceQuery;
        sourceVersions = Map.copyOf(sourceVersions == null ? Map.of() : sourceVersions);
        createdBy = createdBy == null ? "" : createdBy;
    }

    /**
     * Starts a definition.
     *
     * @param name the lakehouse table, {@code schema.table}
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Returns the created-time column, if the table has one.
     *
     * @return the column name
     */
    public Optional<String> created() {
        return Optional.ofNullable(createdColumn);
    }

    /**
     * Returns the columns that are not features: the keys, the event time and the created time.
     *
     * @return the non-feature columns
     */
    public List<String> reservedColumns() {
        List<String> out = new ArrayList<>(primaryKeys);
        out.add(timestampKey);
        if (createdColumn != null) {
            out.add(createdColumn);
        }
        return out;
    }

    /**
     * Returns a copy with what the store records: source, versions, time and author.
     *
     * @param query the source query, or empty
     * @param versions the versions of the tables the query read
     * @param at when it was recorded
     * @param by who recorded it
     * @return the completed definition
     */
    public FeatureTableDefinition recorded(String query, Map<String, Long> versions, Instant at, String by) {
        return new FeatureTableDefinition(name, primaryKeys, timestampKey, createdColumn, description, owner, tags,
                featureDescriptions, query, versions, at, by);
    }

    /** Builds a {@link FeatureTableDefinition}. */
    public static final class Builder {
        private final String name;
        private final List<String> primaryKeys = new ArrayList<>();
        private String timestampKey;
        private String createdColumn;
        private String description = "";
        private String owner = "";
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final Map<String, String> featureDescriptions = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Sets the entity key columns.
         *
         * @param columns the key columns
         * @return this builder
         */
        public Builder primaryKeys(String... columns) {
            primaryKeys.clear();
            primaryKeys.addAll(List.of(columns));
            return this;
        }

        /**
         * Sets the event-time column (a TIMESTAMP, TIMESTAMP_NTZ read as UTC, or DATE).
         *
         * @param column the column
         * @return this builder
         */
        public Builder timestampKey(String column) {
            this.timestampKey = column;
            return this;
        }

        /**
         * Sets the created (ingestion) time column, used to rank rows with equal event time and by
         * "as known at the time" lookups.
         *
         * @param column the column
         * @return this builder
         */
        public Builder createdColumn(String column) {
            this.createdColumn = column;
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
         * Sets the owner.
         *
         * @param owner the owner, e.g. a team or a principal
         * @return this builder
         */
        public Builder owner(String owner) {
            this.owner = owner;
            return this;
        }

        /**
         * Adds a tag.
         *
         * @param key the tag
         * @param value its value (may be empty)
         * @return this builder
         */
        public Builder tag(String key, String value) {
            tags.put(key, value == null ? "" : value);
            return this;
        }

        /**
         * Describes one feature column.
         *
         * @param feature the feature column
         * @param text its description
         * @return this builder
         */
        public Builder featureDescription(String feature, String text) {
            featureDescriptions.put(feature, text);
            return this;
        }

        /**
         * Builds the definition.
         *
         * @return the definition
         * @throws InvalidArgumentException if the keys or the event-time column are missing
         */
        public FeatureTableDefinition build() {
            return new FeatureTableDefinition(name, primaryKeys, timestampKey, createdColumn, description, owner, tags,
                    featureDescriptions, "", Map.of(), null, "");
        }
    }
}
