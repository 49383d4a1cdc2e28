package dev.kiln.governance;

/** The kinds of objects privileges are granted on. */
public enum SecurableType {
    /** The workspace itself: the root of the hierarchy. */
    CATALOG,
    /** A schema of tables. */
    SCHEMA,
    /** A lakehouse table, {@code schema.table}. */
    TABLE,
    /** A feature table, {@code schema.table}: one object with the lakehouse table of that name. */
    FEATURE_TABLE,
    /** An experiment, by name. */
    EXPERIMENT,
    /** A registered model, by name. */
    MODEL
}
