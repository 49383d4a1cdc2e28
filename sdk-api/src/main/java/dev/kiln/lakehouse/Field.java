package dev.kiln.lakehouse;

import dev.kiln.InvalidArgumentException;
import java.util.Map;

/**
 * A named, typed column (or struct field).
 *
 * @param name the column name
 * @param type the column type
 * @param nullable whether the column may hold nulls
 * @param metadata free-form metadata (for example a {@code comment}); empty if none
 */
public record Field(String name, DataType type, boolean nullable, Map<String, String> metadata) {

    /**
     * Checks the field.
     *
     * @param name the column name
     * @param type the column type
     * @param nullable whether the column may hold nulls
     * @param metadata free-form metadata
     * @throws InvalidArgumentException if the name is blank or the type is missing
     */
    public Field {
        if (name == null || name.isEmpty()) {
            throw new InvalidArgumentException("A column needs a non-empty name.");
        }
        if (type == null) {
            throw new InvalidArgumentException("Column '" + name + "' needs a type.");
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /**
     * Returns a nullable column without metadata.
     *
     * @param name the column name
     * @param type the column type
     * @return the field
     * @throws InvalidArgumentException if the name is blank or the type is missing
     */
    public static Field of(String name, DataType type) {
        return new Field(name, type, true, Map.of());
    }

    static String quoteIfNeeded(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : "`" + name.replace("`", "``") + "`";
    }
}
