package dev.kiln.monitoring;

import dev.kiln.InvalidArgumentException;
import dev.kiln.lakehouse.Lakehouse;

/**
 * A table name with an optional version, written {@code schema.table} or {@code schema.table@VERSION}.
 *
 * @param name {@code schema.table}
 * @param version the version, or null for the latest
 */
public record TableRef(String name, Long version) {

    /**
     * Parses {@code schema.table[@VERSION]}.
     *
     * @param text the reference
     * @return the reference
     * @throws InvalidArgumentException if it is malformed
     */
    public static TableRef parse(String text) {
        if (text == null || !text.matches("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*(@\\d+)?")) {
            throw new InvalidArgumentException("Table reference '" + text
                    + "' is not schema.table or schema.table@VERSION (for example sales.orders@3).");
        }
        int at = text.indexOf('@');
        return at < 0 ? new TableRef(text, null) : new TableRef(text.substring(0, at), Long.parseLong(text.substring(at + 1)));
    }

    /**
     * Pins the reference to a version: the given one, or the table's latest.
     *
     * @param lakehouse the lakehouse
     * @return a reference with a version
     */
    public TableRef resolve(Lakehouse lakehouse) {
        return version != null ? this : new TableRef(name, lakehouse.table(name).latest().version());
    }

    /**
     * Returns the SQL relation, with {@code VERSION AS OF} when a version is set.
     *
     * @return SQL text for a FROM clause
     */
    public String sql() {
        return version == null ? name : name + " VERSION AS OF " + version;
    }

    @Override
    public String toString() {
        return version == null ? name : name + "@" + version;
    }
}
