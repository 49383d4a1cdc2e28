package dev.kiln.lakehouse;

/** How a write treats the rows already in the table. */
public enum WriteMode {
    /** Add the new rows to the existing ones. */
    APPEND,
    /** Replace every existing row by the new ones (in one atomic commit). */
    OVERWRITE
}
