package dev.kiln.features;

import dev.kiln.lakehouse.CommitInfo;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.WriteSource;
import java.util.List;

/**
 * A feature table: a lakehouse table with primary keys and an event time, and its definition.
 */
public interface FeatureTable {

    /**
     * Returns the table's name.
     *
     * @return {@code schema.table}
     */
    String name();

    /**
     * Returns the definition as recorded in the workspace.
     *
     * @return the definition
     */
    FeatureTableDefinition definition();

    /**
     * Returns the feature columns at the latest version: every column but the keys, the event time and the
     * created time.
     *
     * @return the feature column names, in table order
     */
    List<String> features();

    /**
     * Returns the underlying lakehouse table.
     *
     * @return the table
     */
    Table table();

    /**
     * Appends rows (rows with an existing key and event time are kept beside the old ones; the winner of
     * such a tie is chosen by the created time, then by value).
     *
     * @param source the rows
     * @return the commit made
     * @throws dev.kiln.SchemaMismatchException if the rows do not fit the table
     * @throws dev.kiln.PermissionDeniedException without MODIFY on the feature table
     */
    CommitInfo append(WriteSource source);

    /**
     * Upserts rows by primary keys and event time: a row whose keys and event time exist replaces the old
     * row, others are inserted.
     *
     * @param source the rows
     * @return the commit made
     * @throws dev.kiln.SchemaMismatchException if the rows do not fit the table
     * @throws dev.kiln.InvalidArgumentException if the source repeats a key and event time
     * @throws dev.kiln.ConflictException if a concurrent commit rewrote the same files
     * @throws dev.kiln.PermissionDeniedException without MODIFY on the feature table
     */
    CommitInfo merge(WriteSource source);
}
