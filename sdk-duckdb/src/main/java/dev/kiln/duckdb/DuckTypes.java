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
}
