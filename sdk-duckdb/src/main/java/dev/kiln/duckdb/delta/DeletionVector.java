package dev.kiln.duckdb.delta;

/**
 * A deletion vector descriptor (Delta protocol, "Deletion Vector Descriptor Schema").
 *
 * @param storageType {@code u} (relative, UUID-named file), {@code i} (inline, Z85) or {@code p} (absolute path)
 * @param pathOrInlineDv the encoded UUID (with optional random prefix), inline data, or path
 * @param offset byte offset in the DV file, null when inline (means 0 for files)
 * @param sizeInBytes size of the serialized bitmap
 * @param cardinality number of deleted rows
 */
public record DeletionVector(String storageType, String pathOrInlineDv, Integer offset, int sizeInBytes, long cardinality) {

    /**
     * Returns the unique id of this vector, used with the data file path as the key of a logical file.
     *
     * @return {@code <storageType><pathOrInlineDv>[@<offset>]}
     */
    public String uniqueId() {
        return offset == null ? storageType + pathOrInlineDv : storageType + pathOrInlineDv + "@" + offset;
    }
}
