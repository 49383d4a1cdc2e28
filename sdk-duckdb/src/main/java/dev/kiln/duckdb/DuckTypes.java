package dev.kiln.duckdb;

import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;

/** Maps Kiln (Delta) types to the DuckDB types that hold them and that Parquet stores as Delta expects. */
public final class DuckTypes {
    private DuckTypes() {
    }

    /**
     * Returns the DuckDB type of a Kiln type.
     *
     * @param type the Kiln type
     * @return DuckDB type text, e.g. {@code TIMESTAMPTZ} for {@code TIMESTAMP}
     */
    public static String duck(DataType type) {
        if (type instanceof DataType.Primitive p) {
            return switch (p) {
                case BOOLEAN -> "BOOLEAN";
                case TINYINT -> "TINYINT";
                case SMALLINT -> "SMALLINT";
                case INT -> "INTEGER";
                case BIGINT -> "BIGINT";
                case FLOAT -> "FLOAT";
                case DOUBLE -> "DOUBLE";
                case STRING -> "VARCHAR";
                case BINARY -> "BLOB";
                case DATE -> "DATE";
                // Delta timestamp is an instant (Parquet isAdjustedToUTC=true): DuckDB writes that from TIMESTAMPTZ.
                case TIMESTAMP -> "TIMESTAMPTZ";
                case TIMESTAMP_NTZ -> "TIMESTAMP";
            };
        }
        if (type instanceof DataType.Decimal d) {
            return "DECIMAL(" + d.precision() + "," + d.scale() + ")";
        }
        if (type instanceof DataType.Array a) {
            return duck(a.element()) + "[]";
        }
        if (type instanceof DataType.MapType m) {
            return "MAP(" + duck(m.key()) + ", " + duck(m.value()) + ")";
        }
        DataType.Struct s = (DataType.Struct) type;
        StringBuilder sb = new StringBuilder("STRUCT(");
        for (int i = 0; i < s.fields().size(); i++) {
            Field f = s.fields().get(i);
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(DuckEngine.quote(f.name())).append(' ').append(duck(f.type()));
        }
        return sb.append(')').toString();
    }

    /**
     * Reads a DuckDB type name (as JDBC metadata or DESCRIBE report it) into a Kiln type.
     *
     * @param duckType e.g. {@code BIGINT}, {@code TIMESTAMP WITH TIME ZONE}, {@code DECIMAL(10,2)},
     *     {@code VARCHAR[]}, {@code STRUCT(a INTEGER, "b c" VARCHAR)}, {@code MAP(VARCHAR, INTEGER)}
     * @return the Kiln type; unknown types become {@code STRING}
     */
    public static DataType parse(String duckType) {
        return new TypeReader(duckType.trim()).read();
    }

    private static final class TypeReader {
        private final String s;
        private int pos;

        TypeReader(String s) {
            this.s = s;
        }

        DataType read() {
            DataType base = readBase();
            while (s.startsWith("[]", pos)) {
                pos += 2;
                base = new DataType.Array(base, true);
            }
            return base;
        }

        private DataType readBase() {
            skip();
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == ' ')
                    && !s.startsWith("[]", pos)) {
                if (s.charAt(pos) == ' ' && !continuesWord()) {
                    break;
                }
                pos++;
            }
            String word = s.substring(start, pos).trim().toUpperCase(java.util.Locale.ROOT);
            switch (word) {
                case "STRUCT": {
                    expect('(');
                    java.util.List<Field> fields = new java.util.ArrayList<>();
                    do {
                        String name = readName();
                        DataType type = read();
                        fields.add(Field.of(name, type));
                    } while (accept(','));
                    expect(')');
                    return new DataType.Struct(fields);
                }
                case "MAP": {
                    expect('(');
                    DataType key = read();
                    expect(',');
                    DataType value = read();
                    expect(')');
                    return new DataType.MapType(key, value, true);
                }
                case "DECIMAL", "NUMERIC": {
                    if (!accept('(')) {
                        return new DataType.Decimal(18, 3);
                    }
                    int p = readInt();
                    int sc = accept(',') ? readInt() : 0;
                    expect(')');
                    return new DataType.Decimal(p, sc);
                }
                default:
                    return primitive(word);
            }
        }

        private boolean continuesWord() {
            // "TIMESTAMP WITH TIME ZONE" and "DOUBLE PRECISION" contain spaces
            String rest = s.substring(pos).toUpperCase(java.util.Locale.ROOT);
            return rest.startsWith(" WITH") || rest.startsWith(" TIME") || rest.startsWith(" ZONE") || rest.startsWith(" PRECISION");
        }

        private static DataType primitive(String word) {
            return switch (word) {
                case "BOOLEAN", "BOOL" -> DataType.Primitive.BOOLEAN;
                case "TINYINT", "UTINYINT" -> DataType.Primitive.TINYINT;
                case "SMALLINT", "USMALLINT" -> DataType.Primitive.SMALLINT;
                case "INTEGER", "INT", "UINTEGER" -> DataType.Primitive.INT;
                case "BIGINT", "UBIGINT", "HUGEINT", "UHUGEINT" -> DataType.Primitive.BIGINT;
                case "FLOAT", "REAL" -> DataType.Primitive.FLOAT;
                case "DOUBLE", "DOUBLE PRECISION" -> DataType.Primitive.DOUBLE;
                case "BLOB", "BYTEA" -> DataType.Primitive.BINARY;
                case "DATE" -> DataType.Primitive.DATE;
                case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> DataType.Primitive.TIMESTAMP;
                case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S", "DATETIME" -> DataType.Primitive.TIMESTAMP_NTZ;
                default -> DataType.Primitive.STRING;
            };
        }

        private String readName() {
            skip();
            if (pos < s.length() && s.charAt(pos) == '"') {
                StringBuilder sb = new StringBuilder();
                pos++;
                while (pos < s.length()) {
                    char c = s.charAt(pos++);
                    if (c == '"') {
                        if (pos < s.length() && s.charAt(pos) == '"') {
                            sb.append('"');
                            pos++;
                            continue;
                        }
                        break;
                    }
                    sb.append(c);
                }
                return sb.toString();
            }
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != ' ') {
                pos++;
            }
            return s.substring(start, pos);
        }

        private int readInt() {
            skip();
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            return Integer.parseInt(s.substring(start, pos));
        }

        private boolean accept(char c) {
            skip();
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!accept(c)) {
                throw new IllegalStateException("Unexpected DuckDB type text: " + s);
            }
        }

        private void skip() {
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }
    }
}
