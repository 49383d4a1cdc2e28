package dev.kiln.governance;

/**
 * What a principal may do on a securable, in the spirit of Unity Catalog. A privilege granted on a
 * catalog or schema is inherited by everything below it; the owner of a securable holds every
 * privilege on it.
 */
public enum Privilege {
    /** Use a schema or catalog at all (needed, with the object's own privilege, to reach anything inside). */
    USE,
    /** Read a table's or feature table's rows, an experiment's runs, a model's versions. */
    READ,
    /** Write, delete, update, merge, optimize or vacuum a table or feature table; log to an experiment. */
    MODIFY,
    /** Create objects inside a catalog or schema, or versions of a model. */
    CREATE,
    /** Load and score a model. */
    EXECUTE,
    /** Grant and revoke on the object, move a model's aliases, change ownership-level settings. */
    MANAGE,
    /** Set tags on the object. */
    APPLY_TAG
}
