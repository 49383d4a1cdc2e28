package dev.kiln.lakehouse;

import dev.kiln.InvalidArgumentException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The naming rules of the workspace: identifiers only, so no name can leave the root folder or
 * smuggle SQL. Public for the other Kiln modules; not part of the API.
 */
public final class Names {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private Names() {
    }

    /**
     * Checks an identifier (schema, table, column of a key...).
     *
     * @param kind what is being named, for the message
     * @param name the name
     * @return the name, lower-cased
     * @throws InvalidArgumentException if it is not an identifier
     */
    public static String identifier(String kind, String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new InvalidArgumentException("Invalid " + kind + " name '" + name + "': use letters, digits and '_', "
                    + "starting with a letter or '_' (at most 128 characters).");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * Splits and checks a table name {@code schema.table}.
     *
     * @param name the table name
     * @return the schema and table parts, lower-cased
     * @throws InvalidArgumentException if it is not {@code schema.table} of identifiers
     */
    public static TableName table(String name) {
        if (name == null) {
            throw new InvalidArgumentException("A table name is required, as schema.table (e.g. sales.orders).");
        }
        int dot = name.indexOf('.');
        if (dot < 0 || name.indexOf('.', dot + 1) >= 0) {
            throw new InvalidArgumentException("Invalid table name '" + name + "': write it as schema.table (e.g. sales.orders), "
                    + "each part made of letters, digits and '_'.");
        }
        return new TableName(identifier("schema", name.substring(0, dot)), identifier("table", name.substring(dot + 1)));
    }

    /**
     * A checked table name.
     *
     * @param schema the schema part
     * @param table the table part
     */
    public record TableName(String schema, String table) {
        /**
         * Returns the folder of this table under the workspace root.
         *
         * @param root the workspace folder
         * @return {@code root/schema/table}
         */
        public Path location(Path root) {
            return root.resolve(schema).resolve(table);
        }

        @Override
        public String toString() {
            return schema + "." + table;
        }
    }
}
