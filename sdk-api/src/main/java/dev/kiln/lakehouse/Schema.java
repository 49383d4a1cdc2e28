package dev.kiln.lakehouse;

import dev.kiln.InvalidArgumentException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The columns of a table, in order.
 *
 * <p>{@link #parse(String)} reads DDL such as
 * {@code "id BIGINT NOT NULL, ts TIMESTAMP, price DECIMAL(10,2), tags ARRAY<STRING>,
 * attrs MAP<STRING, DOUBLE>, address STRUCT<city: STRING, zip: INT>"}.
 *
 * @param fields the columns, in order; names are unique ignoring case
 */
public record Schema(List<Field> fields) {

    /**
     * Checks that column names are unique, ignoring case (as Delta requires).
     *
     * @param fields the columns
     * @throws InvalidArgumentException if a name repeats or the list is empty
     */
    public Schema {
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new InvalidArgumentException("A schema needs at least one column, e.g. \"id BIGINT\".");
        }
        Set<String> seen = new HashSet<>();
        for (Field f : fields) {
            if (!seen.add(f.name().toLowerCase(java.util.Locale.ROOT))) {
                throw new InvalidArgumentException("Column '" + f.name() + "' appears twice; column names must be unique ignoring case.");
            }
        }
    }

    /**
     * Builds a schema from fields.
     *
     * @param fields the columns, in order
     * @return the schema
     * @throws InvalidArgumentException if a name repeats or no field is given
     */
    public static Schema of(Field... fields) {
        return new Schema(List.of(fields));
    }

    /**
     * Parses DDL: comma-separated {@code name TYPE [NOT NULL]}; names may be quoted in backticks.
     *
     * @param ddl the column list
     * @return the schema
     * @throws InvalidArgumentException naming the position and what was expected, if the text is malformed
     */
    public static Schema parse(String ddl) {
        return new SchemaParser(ddl).parseSchema();
    }

    /**
     * Returns the column names, in order.
     *
     * @return the names
     */
    public List<String> names() {
        List<String> names = new ArrayList<>(fields.size());
        for (Field f : fields) {
            names.add(f.name());
        }
        return names;
    }

    /**
     * Finds a column by name, ignoring case.
     *
     * @param name the column name
     * @return the column, if present
     */
    public Optional<Field> field(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the schema as DDL that {@link #parse(String)} reads back.
     *
     * @return the DDL text
     */
    public String toDdl() {
        StringBuilder sb = new StringBuilder();
        for (Field f : fields) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(Field.quoteIfNeeded(f.name())).append(' ').append(f.type().sql());
            if (!f.nullable()) {
                sb.append(" NOT NULL");
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toDdl();
    }
}
