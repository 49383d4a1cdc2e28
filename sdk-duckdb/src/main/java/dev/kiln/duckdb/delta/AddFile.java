package dev.kiln.duckdb.delta;

import java.util.Map;

/**
 * The {@code add} action: a logical file present in the table.
 *
 * @param path URI-encoded path, relative to the table root or absolute
 * @param partitionValues partition values as Delta serialises them (keys are physical names under column mapping)
 * @param size file size in bytes
 * @param modificationTime creation time of the file, epoch milliseconds
 * @param dataChange false if the action only rearranges data
 * @param stats statistics JSON ({@code numRecords}, {@code minValues}, {@code maxValues}, {@code nullCount}) or null
 * @param deletionVector deleted rows of the file, or null
 * @param tags free-form tags, or null
 */
public record AddFile(String path, Map<String, String> partitionValues, long size, long modificationTime, boolean dataChange,
        String stats, DeletionVector deletionVector, Map<String, String> tags) implements Action {

    /**
     * Normalises a null partition map to an empty one.
     *
     * @param path path
     * @param partitionValues partition values or null
     * @param size size
     * @param modificationTime modification time
     * @param dataChange data change flag
     * @param stats stats or null
     * @param deletionVector DV or null
     * @param tags tags or null
     */
    public AddFile {
        partitionValues = partitionValues == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(partitionValues));
    }

    /**
     * Returns the key of the logical file: path plus DV unique id.
     *
     * @return the key
     */
    public String key() {
        return deletionVector == null ? path : path + "\u0000" + deletionVector.uniqueId();
    }
}
