package dev.kiln.lakehouse;

import dev.kiln.InvalidArgumentException;
import java.util.List;

/**
 * An upsert: rows of a source matched to a table by key columns. Reached through
 * {@link #builder(WriteSource, String...)}.
 *
 * <pre>{@code
 * table.merge(MergeSpec.builder(WriteSource.csv(file), "id")
 *         .whenMatchedUpdateAll()
 *         .whenNotMatchedInsertAll()
 *         .build());
 * }</pre>
 *
 * @param source the new rows
 * @param keys the key columns, present in both
 * @param updateMatched whether a matched target row takes the source row's values
 * @param deleteMatchedWhen a SQL condition over {@code source} and {@code target} under which a matched
 *     row is deleted instead (checked before the update), or null for never
 * @param insertNotMatched whether source rows without a match are inserted
 * @param deleteNotMatchedBySource whether target rows that no source row matches are deleted
 */
public record MergeSpec(WriteSource source, List<String> keys, boolean updateMatched, String deleteMatchedWhen,
        boolean insertNotMatched, boolean deleteNotMatchedBySource) {

    /**
     * Checks the spec.
     *
     * @param source the new rows
     * @param keys the key columns
     * @param updateMatched update matched rows
     * @param deleteMatchedWhen delete condition for matched rows, or null
     * @param insertNotMatched insert unmatched rows
     * @param deleteNotMatchedBySource delete target rows without a source row
     * @throws InvalidArgumentException if no key or no clause is given
     */
    public MergeSpec {
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new InvalidArgumentException("A merge needs at least one key column, e.g. MergeSpec.builder(source, \"id\").");
        }
        if (!updateMatched && deleteMatchedWhen == null && !insertNotMatched && !deleteNotMatchedBySource) {
            throw new InvalidArgumentException("A merge needs at least one clause: whenMatchedUpdateAll(), whenMatchedDelete(..), "
                    + "whenNotMatchedInsertAll() or whenNotMatchedBySourceDelete().");
        }
    }

    /**
     * Starts a merge of {@code source} on {@code keys}.
     *
     * @param source the new rows
     * @param keys the key columns
     * @return a builder
     */
    public static Builder builder(WriteSource source, String... keys) {
        return new Builder(source, List.of(keys));
    }

    /** Builds a {@link MergeSpec}. */
    public static final class Builder {
        private final WriteSource source;
        private final List<String> keys;
        private boolean updateMatched;
        private String deleteMatchedWhen;
        private boolean insertNotMatched;
        private boolean deleteNotMatchedBySource;

        private Builder(WriteSource source, List<String> keys) {
            this.source = source;
            this.keys = keys;
        }

        /**
         * Matched rows take every column of the source row.
         *
         * @return this builder
         */
        public Builder whenMatchedUpdateAll() {
            updateMatched = true;
            return this;
        }

        /**
         * Matched rows are deleted when the condition holds ({@code "true"} for always). The condition is SQL
         * over {@code source.col} and {@code target.col}.
         *
         * @param condition the SQL condition
         * @return this builder
         */
        public Builder whenMatchedDelete(String condition) {
            deleteMatchedWhen = condition;
            return this;
        }

        /**
         * Source rows without a match are inserted.
         *
         * @return this builder
         */
        public Builder whenNotMatchedInsertAll() {
            insertNotMatched = true;
            return this;
        }

        /**
         * Target rows that no source row matches are deleted.
         *
         * @return this builder
         */
        public Builder whenNotMatchedBySourceDelete() {
            deleteNotMatchedBySource = true;
            return this;
        }

        /**
         * Builds the spec.
         *
         * @return the spec
         * @throws InvalidArgumentException if no key or no clause is given
         */
        public MergeSpec build() {
            return new MergeSpec(source, keys, updateMatched, deleteMatchedWhen, insertNotMatched, deleteNotMatchedBySource);
        }
    }
}
