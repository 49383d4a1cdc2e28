package dev.kiln.lakehouse;

import java.util.List;

/**
 * The type of a column, as in Delta Lake's (and Spark's) type system.
 * {@link #sql()} gives the DDL spelling that {@link Schema#parse(String)} reads back.
 */
public sealed interface DataType permits DataType.Primitive, DataType.Decimal, DataType.Array,
        DataType.MapType, DataType.Struct {

    /**
     * Returns the DDL spelling of this type, e.g. {@code DECIMAL(10,2)} or {@code ARRAY<DOUBLE>}.
     *
     * @return the type as DDL text
     */
    String sql();

    /** The types without parameters. */
    enum Primitive implements DataType {
        /** true/false. */
        BOOLEAN("BOOLEAN"),
        /** 8-bit signed integer (Delta {@code byte}). */
        TINYINT("TINYINT"),
        /** 16-bit signed integer (Delta {@code short}). */
        SMALLINT("SMALLINT"),
        /** 32-bit signed integer. */
        INT("INT"),
        /** 64-bit signed integer. */
        BIGINT("BIGINT"),
        /** 32-bit IEEE float. */
        FLOAT("FLOAT"),
        /** 64-bit IEEE float. */
        DOUBLE("DOUBLE"),
        /** UTF-8 text. */
        STRING("STRING"),
        /** Bytes. */
        BINARY("BINARY"),
        /** A calendar date. */
        DATE("DATE"),
        /** An instant, microsecond precision, stored and compared in UTC. */
        TIMESTAMP("TIMESTAMP"),
        /** A local date-time without zone, microsecond precision. */
        TIMESTAMP_NTZ("TIMESTAMP_NTZ");

        private final String sql;

        Primitive(String sql) {
            this.sql = sql;
        }

        @Override
        public String sql() {
            return sql;
        }
    }

    /**
     * A fixed-point decimal.
     *
     * @param precision total digits, 1 to 38
     * @param scale digits after the point, 0 to precision
     */
    record Decimal(int precision, int scale) implements DataType {
        /**
         * Checks the bounds.
         *
         * @param precision total digits, 1 to 38
         * @param scale digits after the point, 0 to precision
         * @throws dev.kiln.InvalidArgumentException if the bounds are violated
         */
        public Decimal {
            if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
                throw new dev.kiln.InvalidArgumentException("DECIMAL(" + precision + "," + scale
                        + ") is not valid: precision must be 1..38 and scale 0..precision.");
            }
        }

        @Override
        public String sql() {
            return "DECIMAL(" + precision + "," + scale + ")";
        }
    }

    /**
     * A list of values of one type.
     *
     * @param element the element type
     * @param containsNull whether elements may be null
     */
    record Array(DataType element, boolean containsNull) implements DataType {
        @Override
        public String sql() {
            return "ARRAY<" + element.sql() + ">";
        }
    }

    /**
     * A map from keys to values.
     *
     * @param key the key type
     * @param value the value type
     * @param valueContainsNull whether values may be null
     */
    record MapType(DataType key, DataType value, boolean valueContainsNull) implements DataType {
        @Override
        public String sql() {
            return "MAP<" + key.sql() + "," + value.sql() + ">";
        }
    }

    /**
     * A nested record of named fields.
     *
     * @param fields the fields, in order
     */
    record Struct(List<Field> fields) implements DataType {
        /**
         * Copies the field list.
         *
         * @param fields the fields, in order
         */
        public Struct {
            fields = List.copyOf(fields);
        }

        @Override
        public String sql() {
            StringBuilder sb = new StringBuilder("STRUCT<");
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(Field.quoteIfNeeded(fields.get(i).name())).append(": ").append(fields.get(i).type().sql());
            }
            return sb.append('>').toString();
        }
    }
}
