package dev.kiln.features;

import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.WriteSource;
import java.util.List;
import java.util.Optional;

/**
 * The feature store of a workspace. Feature table definitions live in the Delta table
 * {@value #DEFINITIONS_TABLE}, so every process opening the workspace sees the same ones.
 *
 * <p>A feature table is its lakehouse table with keys declared, and shares its grants: creating one
 * needs CREATE on the schema, writing MODIFY, building a training set or publishing to an online
 * store READ on each feature table, declaring or dropping one MANAGE. Each of these is written to
 * the workspace's audit table; a refusal changes nothing.
 */
public interface FeatureStore {

    /** The table holding the feature table definitions. */
    String DEFINITIONS_TABLE = "system.feature_tables";

    /**
     * Creates a feature table from a SQL query over lakehouse tables. The definition records the query and
     * the version of every table it read.
     *
     * @param definition keys, event time and documentation
     * @param sql the query producing the rows
     * @return the feature table
     * @throws dev.kiln.AlreadyExistsException if the table or feature table exists
     * @throws dev.kiln.InvalidArgumentException if the query fails or lacks a key or time column
     * @throws dev.kiln.PermissionDeniedException without CREATE on the schema (on the catalog for a new schema), or READ on a table the query reads
     */
    FeatureTable createTable(FeatureTableDefinition definition, String sql);

    /**
     * Creates a feature table with a schema and fills it from rows: Java values, Arrow batches, Parquet or
     * CSV.
     *
     * @param definition keys, event time and documentation
     * @param schema the columns
     * @param source the rows, or null for an empty table
     * @return the feature table
     * @throws dev.kiln.AlreadyExistsException if the table or feature table exists
     * @throws dev.kiln.InvalidArgumentException if a key or time column is missing from the schema
     * @throws dev.kiln.PermissionDeniedException without CREATE on the schema (on the catalog for a new schema)
     */
    FeatureTable createTable(FeatureTableDefinition definition, Schema schema, WriteSource source);

    /**
     * Declares an existing lakehouse table a feature table.
     *
     * @param definition keys, event time and documentation
     * @return the feature table
     * @throws dev.kiln.NotFoundException if the lakehouse table does not exist
     * @throws dev.kiln.AlreadyExistsException if it is a feature table already
     * @throws dev.kiln.InvalidArgumentException if a key or time column is missing
     * @throws dev.kiln.PermissionDeniedException without MANAGE on the table
     */
    FeatureTable register(FeatureTableDefinition definition);

    /**
     * Opens a feature table.
     *
     * @param name {@code schema.table}
     * @return the feature table
     * @throws dev.kiln.NotFoundException if no feature table has this name
     */
    FeatureTable table(String name);

    /**
     * Finds a feature table.
     *
     * @param name {@code schema.table}
     * @return the feature table, if defined
     */
    Optional<FeatureTable> find(String name);

    /**
     * Lists the feature table definitions.
     *
     * @return the definitions, sorted by name
     */
    List<FeatureTableDefinition> list();

    /**
     * Finds feature tables whose name, description or feature names contain the text (ignoring case), or
     * that carry it as a tag; {@code key=value} matches a tag with that value.
     *
     * @param text the text, a tag, or {@code key=value}
     * @return the matching definitions, sorted by name
     */
    List<FeatureTableDefinition> search(String text);

    /**
     * Removes a feature table's definition, and its data if asked.
     *
     * @param name {@code schema.table}
     * @param dropData whether the lakehouse table is dropped too
     * @throws dev.kiln.NotFoundException if no feature table has this name
     * @throws dev.kiln.PermissionDeniedException without MANAGE on the feature table
     */
    void drop(String name, boolean dropData);

    /**
     * Builds a point-in-time correct training set. Every input is pinned to its current version.
     *
     * @param spec the spine and lookups
     * @return the training set
     * @throws dev.kiln.NotFoundException if a feature table or the spine does not exist
     * @throws dev.kiln.InvalidArgumentException if a key, feature or time column is missing, or output names clash
     * @throws dev.kiln.PermissionDeniedException without READ on a feature table or the spine
     */
    TrainingSet trainingSet(TrainingSetSpec spec);

    /**
     * Opens an in-process online store over a feature table, warmed from the table's latest version.
     *
     * @param table the feature table, {@code schema.table}
     * @param options features to publish, staleness limit, clock
     * @return the online store
     * @throws dev.kiln.NotFoundException if no feature table has this name
     * @throws dev.kiln.PermissionDeniedException without READ on the feature table
     */
    OnlineStore onlineStore(String table, OnlineStoreOptions options);
}
