package dev.kiln.models;

import dev.kiln.InvalidArgumentException;

/**
 * A table at one version, as a model's lineage records it.
 *
 * @param name the table name, {@code schema.table}
 * @param version the Delta table version that was read
 */
public record TableRef(String name, long version) {
    /**
     * Checks the parts.
     *
     * @param name the table name
     * @param version the version, from 0
     * @throws InvalidArgumentException if the name is blank or the version negative
     */
    public TableRef {
        if (name == null || name.isBlank()) {
            throw new InvalidArgumentException("A table reference needs a name, e.g. new TableRef(\"sales.orders\", 3).");
        }
        if (version < 0) {
            throw new InvalidArgumentException("Table " + name + ": versions start at 0, not " + version + ".");
        }
    }

    /**
     * Makes a reference.
     *
     * @param name the table name
     * @param version the version
     * @return the reference
     */
    public static TableRef of(String name, long version) {
        return new TableRef(name, version);
    }

    @Override
    public String toString() {
        return name + "@v" + version;
    }
}
