package dev.kiln.lakehouse;

import java.nio.file.Path;
import java.util.List;

/**
 * Schemas and Delta tables of a workspace, and SQL across them.
 *
 * <p>Names are identifiers: a schema is {@code [A-Za-z_][A-Za-z0-9_]*}, a table is
 * {@code schema.table}. Nothing a name says can reach outside the workspace.
 *
 * <p>SQL refers to tables by name and may travel in time:
 * {@code SELECT * FROM sales.orders VERSION AS OF 3} or
 * {@code ... FROM sales.orders TIMESTAMP AS OF '2024-05-01T00:00:00Z'}.
 */
public interface Lakehouse {

    /**
     * Creates a schema (a folder of tables).
     *
     * @param name the schema name
     * @throws dev.kiln.AlreadyExistsException if it exists
     * @throws dev.kiln.InvalidArgumentException if the name is not an identifier
     */
    void createSchema(String name);

    /**
     * Creates a schema unless it exists.
     *
     * @param name the schema name
     * @throws dev.kiln.InvalidArgumentException if the name is not an identifier
     */
    void createSchemaIfNotExists(String name);

    /**
     * Lists the schemas.
     *
     * @return schema names, sorted
     */
    List<String> schemas();

    /**
     * Drops an empty schema.
     *
     * @param name the schema name
     * @throws dev.kiln.NotFoundException if it does not exist
     * @throws dev.kiln.InvalidArgumentException if it still holds tables
     */
    void dropSchema(String name);

    /**
     * Creates a table (its schema must exist) with an initial empty version 0.
     *
     * @param definition the name, columns, partitioning and properties
     * @return the new table
     * @throws dev.kiln.AlreadyExistsException if the table exists
     * @throws dev.kiln.NotFoundException if the schema does not exist
     * @throws dev.kiln.InvalidArgumentException if the name or definition is invalid
     */
    Table createTable(TableDefinition definition);

    /**
     * Opens a table by name.
     *
     * @param name {@code schema.table}
     * @return the table
     * @throws dev.kiln.NotFoundException if it does not exist
     * @throws dev.kiln.InvalidArgumentException if the name is not valid
     */
    Table table(String name);

    /**
     * Tells whether a table exists.
     *
     * @param name {@code schema.table}
     * @return true if it exists
     * @throws dev.kiln.InvalidArgumentException if the name is not valid
     */
    boolean tableExists(String name);

    /**
     * Opens any Delta table folder by path, for example one written by Spark or Databricks.
     *
     * @param location the table folder (holding {@code _delta_log/})
     * @return the table
     * @throws dev.kiln.NotFoundException if the folder holds no Delta table
     * @throws dev.kiln.UnsupportedFeatureException if the table needs a feature Kiln does not support
     */
    Table tableAt(Path location);

    /**
     * Registers an existing Delta table folder (for example one written by Spark or Databricks) under a
     * name, without copying it. The table is then read and written by that name; dropping the name
     * leaves the folder and its files alone.
     *
     * @param name {@code schema.table}; the schema must exist
     * @param location the table folder (holding {@code _delta_log/})
     * @return the table
     * @throws dev.kiln.AlreadyExistsException if the name is taken
     * @throws dev.kiln.NotFoundException if the schema does not exist or the folder holds no Delta table
     * @throws dev.kiln.UnsupportedFeatureException if the table needs a feature Kiln does not support
     */
    Table registerTable(String name, Path location);

    /**
     * Lists the tables of a schema.
     *
     * @param schema the schema name
     * @return table names ({@code schema.table}), sorted
     * @throws dev.kiln.NotFoundException if the schema does not exist
     */
    List<String> tables(String schema);

    /**
     * Drops a table and deletes its files.
     *
     * @param name {@code schema.table}
     * @throws dev.kiln.NotFoundException if it does not exist
     */
    void dropTable(String name);

    /**
     * Runs a SQL query over lakehouse tables (read-only).
     *
     * @param sql the query
     * @return the result rows; close them when done
     * @throws dev.kiln.InvalidArgumentException if the SQL is invalid or names an unknown table or version
     */
    Rows sql(String sql);
}
