package dev.kiln.models;

import java.util.ArrayList;
import java.util.List;

/**
 * What a model version was trained on: the training set, its spine (the table of entity keys,
 * timestamps and labels), the feature tables joined to it and any other tables read directly,
 * each at the version that was read. Feature stores and trainers fill it in; it can also be given
 * by hand when registering a model trained elsewhere.
 *
 * @param trainingSet a name for the training set (for example the query or view), or null
 * @param spine the spine table and version, or null
 * @param featureTables the feature tables and their sources
 * @param tables other tables read directly
 */
public record TrainingLineage(String trainingSet, TableRef spine, List<FeatureTableLineage> featureTables, List<TableRef> tables) {

    /** No recorded lineage. */
    public static final TrainingLineage NONE = new TrainingLineage(null, null, List.of(), List.of());

    /**
     * Copies the lists.
     *
     * @param trainingSet the training set name
     * @param spine the spine
     * @param featureTables the feature tables
     * @param tables other tables
     */
    public TrainingLineage {
        featureTables = List.copyOf(featureTables);
        tables = List.copyOf(tables);
    }

    /**
     * Tells whether nothing is recorded.
     *
     * @return true if there is no training set, spine, feature table or table
     */
    public boolean isEmpty() {
        return trainingSet == null && spine == null && featureTables.isEmpty() && tables.isEmpty();
    }

    /**
     * Starts building lineage.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link TrainingLineage}; not thread-safe. */
    public static final class Builder {
        private String trainingSet;
        private TableRef spine;
        private final List<FeatureTableLineage> featureTables = new ArrayList<>();
        private final List<TableRef> tables = new ArrayList<>();

        private Builder() {
        }

        /**
         * Names the training set.
         *
         * @param name the training set name
         * @return this builder
         */
        public Builder trainingSet(String name) {
            this.trainingSet = name;
            return this;
        }

        /**
         * Sets the spine table.
         *
         * @param table the spine and its version
         * @return this builder
         */
        public Builder spine(TableRef table) {
            this.spine = table;
            return this;
        }

        /**
         * Adds a feature table with its sources.
         *
         * @param table the feature table and its version
         * @param sources the tables its features were computed from
         * @return this builder
         */
        public Builder featureTable(TableRef table, TableRef... sources) {
            featureTables.add(FeatureTableLineage.of(table, sources));
            return this;
        }

        /**
         * Adds a table read directly.
         *
         * @param table the table and its version
         * @return this builder
         */
        public Builder table(TableRef table) {
            tables.add(table);
            return this;
        }

        /**
         * Builds the lineage.
         *
         * @return the lineage
         */
        public TrainingLineage build() {
            return new TrainingLineage(trainingSet, spine, featureTables, tables);
        }
    }
}
