package dev.kiln.interop;

import dev.kiln.lakehouse.Rows;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Turns rows from Kiln, Spark and delta-kernel into plain Java values that compare with
 * {@code equals}: Long/Integer/Double/..., BigDecimal, String, LocalDate, Instant, LocalDateTime,
 * binary as {@code "0x.."}, arrays as List, maps as Map, structs as a Map keyed by field name.
 */
final class Canon {
    private Canon() {
    }

    /** Sorts rows by the text of their first column (the key), then the whole row. */
    static List<List<Object>> sorted(List<List<Object>> rows) {
        List<List<Object>> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparing((List<Object> r) -> String.valueOf(r.get(0))).thenComparing(String::valueOf));
        return copy;
    }

    // ------------------------------------------------------------------ Kiln

    static List<List<Object>> kiln(Rows rows) {
        try (rows) {
            List<List<Object>> out = new ArrayList<>();
            int width = rows.schema().fields().size();
            while (rows.next()) {
                List<Object> row = new ArrayList<>(width);
                for (int i = 0; i < width; i++) {
                    row.add(kilnValue(rows.get(i)));
                }
                out.add(row);
            }
            return sorted(out);
        }
    }

    private static Object kilnValue(Object v) {
        if (v instanceof byte[] b) {
            return "0x" + HexFormat.of().formatHex(b);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(kilnValue(o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new TreeMap<>(Comparator.comparing(String::valueOf));
            m.forEach((k, x) -> out.put(kilnValue(k), kilnValue(x)));
            return out;
        }
        return v;
    }

    // ------------------------------------------------------------------ Spark

    static List<List<Object>> spark(List<Row> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (Row r : rows) {
            List<Object> row = new ArrayList<>(r.length());
            for (int i = 0; i < r.length(); i++) {
                row.add(sparkValue(r.get(i)));
            }
            out.add(row);
        }
        return sorted(out);
    }

    private static Object sparkValue(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return "0x" + HexFormat.of().formatHex(b);
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (v instanceof Row struct) {
            Map<Object, Object> out = new TreeMap<>(Comparator.comparing(String::valueOf));
            for (int i = 0; i < struct.length(); i++) {
                out.put(struct.schema() == null ? "_" + i : struct.schema().fieldNames()[i], sparkValue(struct.get(i)));
            }
            return out;
        }
        if (v instanceof scala.collection.Map<?, ?> m) {
            Map<Object, Object> out = new TreeMap<>(Comparator.comparing(String::valueOf));
            CollectionConverters.asJava(m).forEach((k, x) -> out.put(sparkValue(k), sparkValue(x)));
            return out;
        }
        if (v instanceof scala.collection.Iterable<?> it) {
            List<Object> out = new ArrayList<>();
            for (Object o : CollectionConverters.asJava(it)) {
                out.add(sparkValue(o));
            }
            return out;
        }
        return v;
    }

    // ------------------------------------------------------------------ delta-kernel

    static List<Object> kernelRow(List<ColumnVector> columns, StructType schema, int rowId) {
        List<Object> row = new ArrayList<>(columns.size());
        for (int c = 0; c < columns.size(); c++) {
            row.add(kernelValue(columns.get(c), schema.at(c).getDataType(), rowId));
        }
        return row;
    }

    static Object kernelValue(ColumnVector v, DataType type, int i) {
        if (v.isNullAt(i)) {
            return null;
        }
        if (type instanceof BooleanType) {
            return v.getBoolean(i);
        }
        if (type instanceof ByteType) {
            return v.getByte(i);
        }
        if (type instanceof ShortType) {
            return v.getShort(i);
        }
        if (type instanceof IntegerType) {
            return v.getInt(i);
        }
        if (type instanceof LongType) {
            return v.getLong(i);
        }
        if (type instanceof FloatType) {
            return v.getFloat(i);
        }
        if (type instanceof DoubleType) {
            return v.getDouble(i);
        }
        if (type instanceof StringType) {
            return v.getString(i);
        }
        if (type instanceof BinaryType) {
            return "0x" + HexFormat.of().formatHex(v.getBinary(i));
        }
        if (type instanceof DecimalType) {
            return v.getDecimal(i);
        }
        if (type instanceof DateType) {
            return LocalDate.ofEpochDay(v.getInt(i));
        }
        if (type instanceof TimestampType) {
            long micros = v.getLong(i);
            return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
        }
        if (type instanceof TimestampNTZType) {
            long micros = v.getLong(i);
            return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) (Math.floorMod(micros, 1_000_000L) * 1000L), ZoneOffset.UTC);
        }
        if (type instanceof ArrayType at) {
            ArrayValue a = v.getArray(i);
            List<Object> out = new ArrayList<>();
            for (int k = 0; k < a.getSize(); k++) {
                out.add(kernelValue(a.getElements(), at.getElementType(), k));
            }
            return out;
        }
        if (type instanceof MapType mt) {
            MapValue m = v.getMap(i);
            Map<Object, Object> out = new TreeMap<>(Comparator.comparing(String::valueOf));
            for (int k = 0; k < m.getSize(); k++) {
                out.put(kernelValue(m.getKeys(), mt.getKeyType(), k), kernelValue(m.getValues(), mt.getValueType(), k));
            }
            return out;
        }
        if (type instanceof StructType st) {
            Map<Object, Object> out = new TreeMap<>(Comparator.comparing(String::valueOf));
            List<StructField> fields = st.fields();
            for (int f = 0; f < fields.size(); f++) {
                out.put(fields.get(f).getName(), kernelValue(v.getChild(f), fields.get(f).getDataType(), i));
            }
            return out;
        }
        throw new IllegalArgumentException("No canonical form for kernel type " + type);
    }

    static Map<String, Object> named(List<String> names, List<Object> row) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), row.get(i));
        }
        return m;
    }
}
