package dev.kiln.features;

import dev.kiln.InvalidArgumentException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which features a training set takes from one feature table, and how they are matched to the spine.
 * Reached through {@link #builder(String)}.
 *
 * <pre>{@code
 * FeatureLookup.builder("fs.customer")
 *     .features("spend_30d", "orders_30d")
 *     .rename("spend_30d", "customer_spend")
 *     .mapKey("customer_id", "buyer_id")        // the spine calls the key buyer_id
 *     .lookback(Duration.ofDays(30))
 *     .asKnownAtTheTime()
 *     .build();
 * }</pre>
 *
 * @param table the feature table, {@code schema.table}
 * @param features the feature columns to take, in order; empty for every feature
 * @param renames output name per feature, for features whose name would clash or mislead
 * @param keyMapping spine column per primary key of the feature table, where their names differ
 * @param lookback how old a value may be
 * @param asKnownAtTheTime whether only rows created at or before the spine time count
 *     ({@code created <= t}; needs a created-time column)
 * @param version the feature table version to read, or null for the latest at build time
 */
public record FeatureLookup(String table, List<String> features, Map<String, String> renames,
        Map<String, String> keyMapping, Lookback lookback, boolean asKnownAtTheTime, Long version) {

    /**
     * Checks and copies the lookup.
     *
     * @param table the feature table
     * @param features the features, or empty for all
     * @param renames the renames
     * @param keyMapping the key mapping
     * @param lookback the lookback
     * @param asKnownAtTheTime the as-known mode
     * @param version the version, or null
     * @throws InvalidArgumentException if the table is missing or a version is negative
     */
    public FeatureLookup {
        if (table == null || table.isBlank()) {
            throw new InvalidArgumentException("A feature lookup needs a feature table name, e.g. FeatureLookup.builder(\"fs.customer\").");
        }
        features = List.copyOf(features == null ? List.of() : features);
        renames = Map.copyOf(renames == null ? Map.of() : renames);
        keyMapping = Map.copyOf(keyMapping == null ? Map.of() : keyMapping);
        lookback = lookback == null ? Lookback.unbounded() : lookback;
        if (version != null && version < 0) {
            throw new InvalidArgumentException("Feature lookup of " + table + ": version must be 0 or more, got " + version + ".");
        }
    }

    /**
     * Starts a lookup of a feature table.
     *
     * @param table the feature table, {@code schema.table}
     * @return a builder
     */
    public static Builder builder(String table) {
        return new Builder(table);
    }

    /**
     * Returns the name a feature gets in the training set.
     *
     * @param feature the feature column
     * @return its rename, or its own name
     */
    public String outputName(String feature) {
        return renames.getOrDefault(feature, feature);
    }

    /**
     * Returns the spine column matched to a primary key of the feature table.
     *
     * @param primaryKey the feature table's key column
     * @return the mapped spine column, or the key's own name
     */
    public String spineColumn(String primaryKey) {
        return keyMapping.getOrDefault(primaryKey, primaryKey);
    }

    /** Builds a {@link FeatureLookup}. */
    public static final class Builder {
        private final String table;
        private final List<String> features = new ArrayList<>();
        private final Map<String, String> renames = new LinkedHashMap<>();
        private final Map<String, String> keyMapping = new LinkedHashMap<>();
        private Lookback lookback = Lookback.unbounded();
        private boolean asKnown;
        private Long version;

        private Builder(String table) {
            this.table = table;
        }

        /**
         * Takes these features (default: every feature of the table).
         *
         * @param names feature columns
         * @return this builder
         */
        public Builder features(String... names) {
            features.addAll(List.of(names));
            return this;
        }

        /**
         * Takes these features (default: every feature of the table).
         *
         * @param names feature columns
         * @return this builder
         */
        public Builder features(List<String> names) {
            features.addAll(names);
            return this;
        }

        /**
         * Names a feature differently in the training set.
         *
         * @param feature the feature column
         * @param outputName its name in the training set
         * @return this builder
         */
        public Builder rename(String feature, String outputName) {
            renames.put(feature, outputName);
            return this;
        }

        /**
         * Matches a primary key of the feature table to a spine column of another name.
         *
         * @param primaryKey the feature table's key column
         * @param spineColumn the spine column holding that key
         * @return this builder
         */
        public Builder mapKey(String primaryKey, String spineColumn) {
            keyMapping.put(primaryKey, spineColumn);
            return this;
        }

        /**
         * Sets how old a value may be (default {@link Lookback#unbounded()}).
         *
         * @param lookback the lookback
         * @return this builder
         */
        public Builder lookback(Lookback lookback) {
            this.lookback = lookback;
            return this;
        }

        /**
         * Accepts values from at most {@code window} before the spine time, both ends inclusive.
         *
         * @param window a positive window
         * @return this builder
         * @throws InvalidArgumentException if the window is not positive
         */
        public Builder lookback(Duration window) {
            this.lookback = Lookback.window(window);
            return this;
        }

        /**
         * Accepts only values whose event time equals the spine time.
         *
         * @return this builder
         */
        public Builder exactMatch() {
            this.lookback = Lookback.exactMatch();
            return this;
        }

        /**
         * Accepts only rows created at or before the spine time, so that later backfills and corrections
         * never leak into training. Needs a feature table with a created-time column.
         *
         * @return this builder
         */
        public Builder asKnownAtTheTime() {
            this.asKnown = true;
            return this;
        }

        /**
         * Reads this version of the feature table instead of the latest.
         *
         * @param version the table version
         * @return this builder
         */
        public Builder version(long version) {
            this.version = version;
            return this;
        }

        /**
         * Builds the lookup.
         *
         * @return the lookup
         * @throws InvalidArgumentException if the table is missing
         */
        public FeatureLookup build() {
            return new FeatureLookup(table, features, renames, keyMapping, lookback, asKnown, version);
        }
    }
}
