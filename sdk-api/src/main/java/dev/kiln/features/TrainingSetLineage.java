package dev.kiln.features;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a training set was built from, so that a run and a model version can carry it: the spine and its
 * version, every feature table and the version read, the lookups and the options.
 *
 * @param spine the spine: {@code table:schema.table}, {@code query:SQL} or {@code rows}
 * @param spineVersions the lakehouse tables the spine read, with their versions
 * @param featureTables every feature table read, with the version read
 * @param lookups the lookups as given
 * @param outputColumns the columns of the result, in order
 * @param options join options (tie-break rule, time zone, ...)
 * @param builtAt when the training set was built
 */
public record TrainingSetLineage(String spine, Map<String, Long> spineVersions, List<TableVersion> featureTables,
        List<FeatureLookup> lookups, List<String> outputColumns, Map<String, String> options, Instant builtAt) {

    /**
     * Copies the lists and maps.
     *
     * @param spine the spine
     * @param spineVersions the spine table versions
     * @param featureTables the feature table versions
     * @param lookups the lookups
     * @param outputColumns the output columns
     * @param options the options
     * @param builtAt the build time
     */
    public TrainingSetLineage {
        spineVersions = Map.copyOf(spineVersions);
        featureTables = List.copyOf(featureTables);
        lookups = List.copyOf(lookups);
        outputColumns = List.copyOf(outputColumns);
        options = Map.copyOf(options);
    }

    /**
     * A table and the version read.
     *
     * @param table {@code schema.table}
     * @param version the version
     */
    public record TableVersion(String table, long version) {
    }
}
