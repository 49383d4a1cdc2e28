package dev.kiln.lakehouse;

/**
 * Options of a write.
 *
 * @param mode append or overwrite
 * @param mergeSchema whether columns of the source that the table lacks are added to the table
 *     (schema evolution); when false such columns are an error
 */
public record WriteOptions(WriteMode mode, boolean mergeSchema) {

    /** Append, without schema evolution. */
    public static final WriteOptions APPEND = new WriteOptions(WriteMode.APPEND, false);

    /** Overwrite, without schema evolution. */
    public static final WriteOptions OVERWRITE = new WriteOptions(WriteMode.OVERWRITE, false);

    /**
     * Returns these options with schema evolution switched on.
     *
     * @return a copy that adds new source columns to the table
     */
    public WriteOptions withMergeSchema() {
        return new WriteOptions(mode, true);
    }
}
