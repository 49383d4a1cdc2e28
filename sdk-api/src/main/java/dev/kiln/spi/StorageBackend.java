package dev.kiln.spi;

import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import java.nio.file.Path;

/**
 * The part of a backend that stores and reads tables. kiln-core calls it after checking names and
 * privileges; applications never call it directly.
 */
public interface StorageBackend extends AutoCloseable {

    /**
     * Creates a table at a location, committing version 0 with the schema and no rows.
     *
     * @param location the table folder (must not hold a table yet)
     * @param definition the table's definition
     * @param context who creates it
     * @return the new table
     * @throws dev.kiln.AlreadyExistsException if a table is already there
     */
    Table createTable(Path location, TableDefinition definition, CommitContext context);

    /**
     * Opens an existing table.
     *
     * @param location the table folder
     * @param name the name to report ({@code schema.table} or the path)
     * @param context who writes through this handle
     * @return the table
     * @throws dev.kiln.NotFoundException if there is no Delta table there
     * @throws dev.kiln.UnsupportedFeatureException if the table needs a feature this backend lacks
     */
    Table openTable(Path location, String name, CommitContext context);

    /**
     * Tells whether a folder holds a Delta table.
     *
     * @param location the folder
     * @return true if it has a {@code _delta_log} with at least one commit or checkpoint
     */
    boolean isTable(Path location);

    /**
     * Runs a read-only query over lakehouse tables.
     *
     * @param sql the query as the user wrote it; table references are resolved by the workspace's
     *     {@link RelationResolver}
     * @return the result rows
     * @throws dev.kiln.InvalidArgumentException if the SQL is invalid
     */
    Rows query(String sql);

    /**
     * Releases the engine.
     */
    @Override
    void close();
}
