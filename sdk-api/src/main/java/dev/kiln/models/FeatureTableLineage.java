package dev.kiln.models;

import dev.kiln.InvalidArgumentException;
import java.util.List;

/**
 * A feature table a model was trained on, at the version read, and the source tables (with their
 * versions) its features were computed from.
 *
 * @param table the feature table and its version
 * @param sources the tables it was computed from
 */
public record FeatureTableLineage(TableRef table, List<TableRef> sources) {
    /**
     * Copies the sources.
     *
     * @param table the feature table
     * @param sources its sources
     * @throws InvalidArgumentException if the table is missing
     */
    public FeatureTableLineage {
        if (table == null) {
            throw new InvalidArgumentException("Feature table lineage needs the feature table.");
        }
        sources = List.copyOf(sources);
    }

    /**
     * Makes a feature table entry.
     *
     * @param table the feature table
     * @param sources its sources
     * @return the entry
     */
    public static FeatureTableLineage of(TableRef table, TableRef... sources) {
        return new FeatureTableLineage(table, List.of(sources));
    }
}
