package dev.kiln.training;

import dev.kiln.InvalidArgumentException;
import dev.kiln.features.TrainingSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where training rows come from and which columns play which part. Built from
 * {@link #table(String)}, {@link #query(String)} or {@link #trainingSet(TrainingSet)}.
 *
 * @param table the lakehouse table read, or null for a query
 * @param query the SQL query read, or null for a table
 * @param label the label column
 * @param features the feature columns, in model order; empty means every column but label, weight and group
 * @param weight the instance-weight column, or null
 * @param group the query-group column for ranking (rows of a group must be contiguous), or null
 * @param evalFraction the share of rows held out as the evaluation set (0 for none)
 * @param seed the seed of the hold-out split
 * @param readTables for a query, the lakehouse tables it reads with their versions (recorded as the
 *     run's dataset inputs); empty when unknown. A table source records its own version.
 */
public record TrainingData(String table, String query, String label, List<String> features, String weight, String group,
        double evalFraction, long seed, Map<String, Long> readTables) {

    /**
     * Checks the description.
     *
     * @param table the table
     * @param query the query
     * @param label the label column
     * @param features the feature columns
     * @param weight the weight column
     * @param group the group column
     * @param evalFraction the held-out share
     * @param seed the split seed
     * @param readTables the tables a query reads, with versions
     * @throws InvalidArgumentException if neither or both of table and query are set, the label is missing or the fraction is out of [0, 1)
     */
    public TrainingData {
        if ((table == null) == (query == null)) {
            throw new InvalidArgumentException("Training data comes from a table or a query: use TrainingData.table(..) or TrainingData.query(..).");
        }
        if (label == null || label.isBlank()) {
            throw new InvalidArgumentException("Training data needs a label column: call label(\"...\").");
        }
        if (!(evalFraction >= 0 && evalFraction < 1)) {
            throw new InvalidArgumentException("evalFraction must be in [0, 1), not " + evalFraction + ".");
        }
        features = List.copyOf(features);
        readTables = readTables == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(readTables));
    }

    /**
     * Starts describing rows read from a lakehouse table (pinned to its latest version when training starts).
     *
     * @param name {@code schema.table}
     * @return a builder
     */
    public static Builder table(String name) {
        return new Builder(name, null);
    }

    /**
     * Starts describing rows produced by a SQL query over lakehouse tables. Order the rows (ORDER BY) if the
     * training must be reproducible.
     *
     * @param sql the query
     * @return a builder
     */
    public static Builder query(String sql) {
        return new Builder(null, sql);
    }

    /**
     * Starts a description reading a point-in-time training set as built, without writing it to a
     * table first: its query over pinned table versions, with the spine and feature tables it read
     * (and their versions) recorded as the run's dataset inputs.
     *
     * @param set the training set; it must stay open until training has read it
     * @return a builder
     */
    public static Builder trainingSet(TrainingSet set) {
        Map<String, Long> read = new LinkedHashMap<>(set.lineage().spineVersions());
        set.lineage().featureTables().forEach(t -> read.put(t.table(), t.version()));
        Builder b = new Builder(null, set.sql());
        b.readTables = read;
        return b;
    }

    /** Builds {@link TrainingData}. */
    public static final class Builder {
        private final String table;
        private final String query;
        private String label;
        private List<String> features = List.of();
        private String weight;
        private String group;
        private double evalFraction;
        private long seed = 42;
        private Map<String, Long> readTables = Map.of();

        private Builder(String table, String query) {
            this.table = table;
            this.query = query;
        }

        /**
         * Sets the label column.
         *
         * @param column the column
         * @return this builder
         */
        public Builder label(String column) {
            this.label = column;
            return this;
        }

        /**
         * Sets the feature columns, in model order.
         *
         * @param columns the columns
         * @return this builder
         */
        public Builder features(String... columns) {
            this.features = List.of(columns);
            return this;
        }

        /**
         * Sets the feature columns, in model order.
         *
         * @param columns the columns
         * @return this builder
         */
        public Builder features(List<String> columns) {
            this.features = List.copyOf(columns);
            return this;
        }

        /**
         * Sets the instance-weight column.
         *
         * @param column the column
         * @return this builder
         */
        public Builder weight(String column) {
            this.weight = column;
            return this;
        }

        /**
         * Sets the query-group column for ranking objectives.
         *
         * @param column the column
         * @return this builder
         */
        public Builder group(String column) {
            this.group = column;
            return this;
        }

        /**
         * Holds out a share of the rows as the evaluation set.
         *
         * @param fraction the share, in [0, 1)
         * @param splitSeed the seed of the split
         * @return this builder
         */
        public Builder evalFraction(double fraction, long splitSeed) {
            this.evalFraction = fraction;
            this.seed = splitSeed;
            return this;
        }

        /**
         * Builds the description.
         *
         * @return the training data
         * @throws InvalidArgumentException if it is incomplete
         */
        public TrainingData build() {
            return new TrainingData(table, query, label, features, weight, group, evalFraction, seed, readTables);
        }
    }
}
