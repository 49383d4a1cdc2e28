package dev.kiln.duckdb.delta;

import java.util.Map;

/**
 * The {@code remove} action: a logical file that left the table (a tombstone for vacuum).
 *
 * @param path URI-encoded path, as in the add it removes
 * @param deletionTimestamp removal time, epoch milliseconds
 * @param dataChange false if the removal only rearranges data
 * @param partitionValues partition values, or null
 * @param size file size, or null
 * @param deletionVector the DV of the logical file removed, or null
 */
public record RemoveFile(String path, long deletionTimestamp, boolean dataChange, Map<String, String> partitionValues, Long size,
        DeletionVector deletionVector) implements Action {

    /**
     * Returns the key of the logical file: path plus DV unique id.
     *
     * @return the key
     */
    public String key() {
        return deletionVector == null ? path : path + "\u0000" + deletionVector.uniqueId();
    }
}
