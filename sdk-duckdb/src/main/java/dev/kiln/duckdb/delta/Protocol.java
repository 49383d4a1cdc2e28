package dev.kiln.duckdb.delta;

import java.util.Set;

/**
 * The {@code protocol} action.
 *
 * @param minReaderVersion reader version a client needs
 * @param minWriterVersion writer version a client needs
 * @param readerFeatures reader table features (reader version 3), else null or empty
 * @param writerFeatures writer table features (writer version 7), else null or empty
 */
public record Protocol(int minReaderVersion, int minWriterVersion, Set<String> readerFeatures, Set<String> writerFeatures) implements Action {

    /** The protocol Kiln writes for new tables: reader 1, writer 2, no features. */
    public static final Protocol DEFAULT = new Protocol(1, 2, null, null);

    /**
     * Returns the lowest protocol for a new table with this schema: reader 1 / writer 2, or reader 3 /
     * writer 7 with the {@code timestampNtz} feature when a column is TIMESTAMP_NTZ.
     *
     * @param schema the table schema
     * @return the protocol to write in version 0
     */
    public static Protocol forNewTable(dev.kiln.lakehouse.Schema schema) {
        if (SchemaJson.usesTimestampNtz(schema)) {
            return new Protocol(3, 7, Set.of("timestampNtz"), Set.of("timestampNtz"));
        }
        return DEFAULT;
    }

    /**
     * Tells whether a reader feature is listed.
     *
     * @param feature feature name, e.g. {@code deletionVectors}
     * @return true if listed in {@link #readerFeatures()}
     */
    public boolean hasReaderFeature(String feature) {
        return readerFeatures != null && readerFeatures.contains(feature);
    }

    /**
     * Tells whether a writer feature is listed.
     *
     * @param feature feature name, e.g. {@code appendOnly}
     * @return true if listed in {@link #writerFeatures()}
     */
    public boolean hasWriterFeature(String feature) {
        return writerFeatures != null && writerFeatures.contains(feature);
    }
}
