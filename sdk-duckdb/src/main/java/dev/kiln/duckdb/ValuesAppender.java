package dev.kiln.duckdb;

import dev.kiln.SchemaMismatchException;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Schema;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Loads Java rows into a temporary table through DuckDB's appender, which fills column buffers in
 * Java; a prepared INSERT runs once per row and costs a thousand times more. Only flat schemas of
 * the common primitive types and nested columns (lists, maps, structs, which travel as JSON text into
 * the staging table's VARCHAR column, as they do when bound) take this path; decimals and binaries
 * keep bound statements.
 */
final class ValuesAppender {

    private ValuesAppender() {
    }

    static boolean supports(Schema schema) {
        for (Field f : schema.fields()) {
            if (Sources.nested(f.type())) {
                continue;
            }
            if (!(f.type() instanceof DataType.Primitive p)) {
                return false;
            }
            switch (p) {
                case BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, STRING, DATE, TIMESTAMP, TIMESTAMP_NTZ -> { }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    /** Appends every row to {@code temp.main.<tempTable>}, whose columns are {@code schema}'s in order. */
    static void append(Connection connection, String tempTable, List<Object[]> rows, Schema schema, String table) throws SQLException {
        List<Field> fields = schema.fields();
        int width = fields.size();
        try (DuckDBAppender appender = connection.unwrap(DuckDBConnection.class).createAppender("temp", "main", tempTable)) {
            int row = 0;
            for (Object[] values : rows) {
                Sources.checkWidth(values, width, schema, table, row);
                appender.beginRow();
                for (int c = 0; c < width; c++) {
                    Object value = values[c];
                    Field field = fields.get(c);
                    if (value == null) {
                        appender.appendNull();
                    } else {
                        Sources.checkType(value, field, table, row);
                        if (Sources.nested(field.type())) {
                            appender.append(Sources.nestedJson(value, field, table, row));
                        } else {
                            appendValue(appender, value, (DataType.Primitive) field.type(), field, table, row);
                        }
                    }
                }
                appender.endRow();
                row++;
            }
        }
    }

    private static void appendValue(DuckDBAppender appender, Object value, DataType.Primitive type, Field field, String table, int row)
            throws SQLException {
        switch (type) {
            case BOOLEAN -> appender.append((boolean) (Boolean) value);
            case TINYINT -> appender.append((byte) integer(value, Byte.MIN_VALUE, Byte.MAX_VALUE, field, table, row));
            case SMALLINT -> appender.append((short) integer(value, Short.MIN_VALUE, Short.MAX_VALUE, field, table, row));
            case INT -> appender.append((int) integer(value, Integer.MIN_VALUE, Integer.MAX_VALUE, field, table, row));
            case BIGINT -> appender.append(((Number) value).longValue());
            case FLOAT -> appender.append(((Number) value).floatValue());
            case DOUBLE -> appender.append(((Number) value).doubleValue());
            case STRING -> appender.append(value.toString());
            case DATE -> appender.append((LocalDate) value);
            case TIMESTAMP -> appender.appendEpochMicros(epochMicros(value instanceof OffsetDateTime o ? o.toInstant() : (Instant) value));
            case TIMESTAMP_NTZ -> appender.append((LocalDateTime) value);
            default -> throw new IllegalStateException("unsupported by the appender: " + type);
        }
    }

    private static long integer(Object value, long min, long max, Field field, String table, int row) {
        long v = ((Number) value).longValue();
        if (v < min || v > max) {
            throw new SchemaMismatchException("Row " + row + ", column '" + field.name() + "' of " + table + ": " + v
                    + " does not fit a " + field.type().sql() + " column (" + min + " to " + max + ").");
        }
        return v;
    }

    private static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }
}
