package dev.kiln.duckdb;

import dev.kiln.lakehouse.DataType;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The footer of one Parquet file, read in Java: its row count, its top-level columns and their
 * per-file statistics. A small commit spends more time in a DuckDB round trip (a DESCRIBE, or a
 * COPY's RETURN_STATS) than this takes to parse the few kilobytes of Thrift at the file's end.
 *
 * <p>Only the parts of the format Kiln needs are modelled; everything else is skipped field by field,
 * so footers with fields added by newer writers still parse.
 */
final class ParquetFooter {
    // Parquet physical types
    static final int BOOLEAN = 0;
    static final int INT32 = 1;
    static final int INT64 = 2;
    static final int INT96 = 3;
    static final int FLOAT = 4;
    static final int DOUBLE = 5;
    static final int BYTE_ARRAY = 6;
    static final int FIXED_LEN_BYTE_ARRAY = 7;

    private static final int MAX_FOOTER = 64 << 20;

    /** A top-level column: its schema element, and its statistics when it is a leaf. */
    static final class Column {
        String name;
        int physical = -1;
        int repetition;
        int numChildren;
        int converted = -1;
        int scale;
        int precision;
        /** LogicalType union member id (1 STRING, 5 DECIMAL, 6 DATE, 8 TIMESTAMP, 10 INTEGER...), or 0. */
        int logical;
        int logicalScale;
        int logicalPrecision;
        boolean utc;
        /** 1 millis, 2 micros, 3 nanos (TIMESTAMP and TIME). */
        int unit;
        int bitWidth;
        boolean signed = true;

        long nullCount;
        boolean nullCountKnown = true;
        /** Min and max across row groups, as Long, Double, BigDecimal or Utf8; null when unknown. */
        Comparable<Object> min;
        Comparable<Object> max;
        boolean rangeKnown = true;

        boolean nested() {
            return numChildren > 0 || physical < 0;
        }

        boolean decimal() {
            return logical == 5 || (logical == 0 && converted == 5);
        }

        int decimalScale() {
            return logical == 5 ? logicalScale : scale;
        }

        int decimalPrecision() {
            return logical == 5 ? logicalPrecision : precision;
        }

        /**
         * The Kiln type DuckDB gives this column when it reads the file, or null where the mapping is
         * not certain (those sources are described by DuckDB itself).
         */
        DataType kilnType() {
            if (nested() || repetition == 2) {
                return null;
            }
            if (decimal()) {
                int p = decimalPrecision();
                return p >= 1 && p <= 38 && physical != INT96 && physical != FLOAT && physical != DOUBLE && physical != BOOLEAN
                        ? new DataType.Decimal(p, decimalScale()) : null;
            }
            switch (physical) {
                case BOOLEAN:
                    return logical == 0 && converted < 0 ? DataType.Primitive.BOOLEAN : null;
                case INT32:
                    if (logical == 10) {
                        if (!signed) {
                            return null;
                        }
                        return switch (bitWidth) {
                            case 8 -> DataType.Primitive.TINYINT;
                            case 16 -> DataType.Primitive.SMALLINT;
                            case 32 -> DataType.Primitive.INT;
                            default -> null;
                        };
                    }
                    if (logical == 6 || (logical == 0 && converted == 6)) {
                        return DataType.Primitive.DATE;
                    }
                    if (logical == 0) {
                        return switch (converted) {
                            case -1, 17 -> DataType.Primitive.INT;
                            case 15 -> DataType.Primitive.TINYINT;
                            case 16 -> DataType.Primitive.SMALLINT;
                            default -> null;
                        };
                    }
                    return null;
                case INT64:
                    if (logical == 10) {
                        return signed && bitWidth == 64 ? DataType.Primitive.BIGINT : null;
                    }
                    if (logical == 8 && (unit == 1 || unit == 2)) {
                        return utc ? DataType.Primitive.TIMESTAMP : DataType.Primitive.TIMESTAMP_NTZ;
                    }
                    return logical == 0 && (converted == -1 || converted == 18) ? DataType.Primitive.BIGINT : null;
                case FLOAT:
                    return logical == 0 && converted < 0 ? DataType.Primitive.FLOAT : null;
                case DOUBLE:
                    return logical == 0 && converted < 0 ? DataType.Primitive.DOUBLE : null;
                case BYTE_ARRAY:
                    if (logical == 1 || (logical == 0 && converted == 0)) {
                        return DataType.Primitive.STRING;
                    }
                    return logical == 0 && converted < 0 ? DataType.Primitive.BINARY : null;
                default:
                    return null;
            }
        }
    }

    /** UTF-8 bytes ordered as Parquet orders BYTE_ARRAY statistics: unsigned, byte by byte. */
    record Utf8(byte[] bytes) implements Comparable<Utf8> {
        @Override
        public int compareTo(Utf8 o) {
            return java.util.Arrays.compareUnsigned(bytes, o.bytes);
        }

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    final long numRows;
    final List<Column> columns;
    /** Key-value metadata keys (ARROW:schema, geo...), which can change how a reader types a column. */
    final Set<String> metadataKeys;

    private ParquetFooter(long numRows, List<Column> columns, Set<String> metadataKeys) {
        this.numRows = numRows;
        this.columns = columns;
        this.metadataKeys = metadataKeys;
    }

    /**
     * Reads the footer of a Parquet file.
     *
     * @throws IOException if the file cannot be read or is not a Parquet file this reader understands
     */
    static ParquetFooter read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 12) {
                throw new IOException(file + " is too short to be a Parquet file");
            }
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, tail, size - 8);
            int length = tail.getInt(0);
            if (tail.get(4) != 'P' || tail.get(5) != 'A' || tail.get(6) != 'R' || tail.get(7) != '1') {
                throw new IOException(file + " does not end with the Parquet magic (an encrypted or damaged file)");
            }
            if (length <= 0 || length > MAX_FOOTER || length > size - 12) {
                throw new IOException(file + " has an invalid footer length " + length);
            }
            ByteBuffer footer = ByteBuffer.allocate(length);
            readFully(ch, footer, size - 8 - length);
            try {
                return new Reader(footer.array()).fileMetaData();
            } catch (RuntimeException e) {
                throw new IOException(file + " has a footer this reader cannot parse: " + e, e);
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /**
     * The columns as DuckDB's read_parquet shows them, with Kiln types, or null when any column's type
     * is not certain or the file carries metadata that can change how DuckDB types it.
     */
    Map<String, DataType> kilnColumns() {
        if (metadataKeys.contains("ARROW:schema") || metadataKeys.contains("geo") || columns.isEmpty()) {
            return null;
        }
        Map<String, DataType> out = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Column c : columns) {
            DataType type = c.kilnType();
            // DuckDB renames duplicate names; leave those files to it
            if (type == null || c.name == null || c.name.isEmpty() || !seen.add(c.name.toLowerCase(Locale.ROOT))) {
                return null;
            }
            out.put(c.name, type);
        }
        return out;
    }

    Column column(String name) {
        for (Column c : columns) {
            if (name.equals(c.name)) {
                return c;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- Thrift compact protocol

    private static final int T_STOP = 0;
    private static final int T_TRUE = 1;
    private static final int T_FALSE = 2;
    private static final int T_BYTE = 3;
    private static final int T_I16 = 4;
    private static final int T_I32 = 5;
    private static final int T_I64 = 6;
    private static final int T_DOUBLE = 7;
    private static final int T_BINARY = 8;
    private static final int T_LIST = 9;
    private static final int T_SET = 10;
    private static final int T_MAP = 11;
    private static final int T_STRUCT = 12;

    private static final class Reader {
        private final byte[] b;
        private int pos;
        private final short[] lastId = new short[64];
        private int depth;
        /** Type of the field header just read; booleans carry their value in it. */
        private int fieldType;

        Reader(byte[] b) {
            this.b = b;
        }

        // -------------------------------------------------------- Parquet structures

        ParquetFooter fileMetaData() {
            List<Column> columns = new ArrayList<>();
            Map<String, Column> leafByPath = new LinkedHashMap<>();
            Set<String> keys = new HashSet<>();
            long numRows = -1;
            begin();
            int id;
            while ((id = field()) != 0) {
                if (id == 2 && fieldType == T_LIST) {
                    int n = listHeader();
                    // element 0 is the root; the tree below it is in depth-first order
                    List<Column> all = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        all.add(schemaElement());
                    }
                    int i = 1;
                    int rootChildren = n == 0 ? 0 : all.get(0).numChildren;
                    for (int c = 0; c < rootChildren && i < n; c++) {
                        Column top = all.get(i);
                        columns.add(top);
                        i = skipSubtree(all, i);
                    }
                    for (Column c : columns) {
                        if (!c.nested()) {
                            leafByPath.put(c.name, c);
                        }
                    }
                } else if (id == 3 && fieldType == T_I64) {
                    numRows = varlong();
                } else if (id == 4 && fieldType == T_LIST) {
                    int n = listHeader();
                    for (int i = 0; i < n; i++) {
                        rowGroup(leafByPath);
                    }
                } else if (id == 5 && fieldType == T_LIST) {
                    int n = listHeader();
                    for (int i = 0; i < n; i++) {
                        keys.add(keyValueKey());
                    }
                } else {
                    skip(fieldType);
                }
            }
            end();
            if (numRows < 0) {
                throw new IllegalStateException("no num_rows");
            }
            return new ParquetFooter(numRows, columns, keys);
        }

        private static int skipSubtree(List<Column> all, int i) {
            int children = all.get(i).numChildren;
            i++;
            for (int c = 0; c < children && i < all.size(); c++) {
                i = skipSubtree(all, i);
            }
            return i;
        }

        private Column schemaElement() {
            Column c = new Column();
            begin();
            int id;
            while ((id = field()) != 0) {
                switch (id) {
                    case 1 -> c.physical = varint();
                    case 3 -> c.repetition = varint();
                    case 4 -> c.name = string();
                    case 5 -> c.numChildren = varint();
                    case 6 -> c.converted = varint();
                    case 7 -> c.scale = varint();
                    case 8 -> c.precision = varint();
                    case 10 -> logicalType(c);
                    default -> skip(fieldType);
                }
            }
            end();
            return c;
        }

        private void logicalType(Column c) {
            begin();
            int id;
            while ((id = field()) != 0) {
                c.logical = id;
                if (fieldType != T_STRUCT) {
                    skip(fieldType);
                    continue;
                }
                begin();
                int f;
                while ((f = field()) != 0) {
                    if (id == 5 && f == 1) {
                        c.logicalScale = varint();
                    } else if (id == 5 && f == 2) {
                        c.logicalPrecision = varint();
                    } else if ((id == 8 || id == 7) && f == 1) {
                        c.utc = fieldType == T_TRUE;
                    } else if ((id == 8 || id == 7) && f == 2) {
                        c.unit = unionMember();
                    } else if (id == 10 && f == 1) {
                        c.bitWidth = b[pos++];
                    } else if (id == 10 && f == 2) {
                        c.signed = fieldType == T_TRUE;
                    } else {
                        skip(fieldType);
                    }
                }
                end();
            }
            end();
        }

        /** Reads a union of empty structs (TimeUnit) and returns the id of the member that is set. */
        private int unionMember() {
            int member = 0;
            begin();
            int id;
            while ((id = field()) != 0) {
                member = id;
                skip(fieldType);
            }
            end();
            return member;
        }

        private void rowGroup(Map<String, Column> leaves) {
            begin();
            int id;
            while ((id = field()) != 0) {
                if (id == 1 && fieldType == T_LIST) {
                    int n = listHeader();
                    for (int i = 0; i < n; i++) {
                        columnChunk(leaves);
                    }
                } else {
                    skip(fieldType);
                }
            }
            end();
        }

        private void columnChunk(Map<String, Column> leaves) {
            begin();
            int id;
            while ((id = field()) != 0) {
                if (id == 3 && fieldType == T_STRUCT) {
                    columnMetaData(leaves);
                } else {
                    skip(fieldType);
                }
            }
            end();
        }

        private void columnMetaData(Map<String, Column> leaves) {
            List<String> path = new ArrayList<>(1);
            long numValues = -1;
            byte[][] stats = null;
            Long nulls = null;
            begin();
            int id;
            while ((id = field()) != 0) {
                if (id == 3 && fieldType == T_LIST) {
                    int n = listHeader();
                    for (int i = 0; i < n; i++) {
                        path.add(string());
                    }
                } else if (id == 5 && fieldType == T_I64) {
                    numValues = varlong();
                } else if (id == 12 && fieldType == T_STRUCT) {
                    stats = new byte[3][];
                    nulls = statistics(stats);
                } else {
                    skip(fieldType);
                }
            }
            end();
            Column c = path.size() == 1 ? leaves.get(path.get(0)) : null;
            if (c == null) {
                return;
            }
            if (nulls == null) {
                c.nullCountKnown = false;
            } else {
                c.nullCount += nulls;
            }
            boolean allNull = nulls != null && numValues >= 0 && nulls == numValues;
            if (allNull) {
                return; // a chunk of nulls has no range and narrows nothing
            }
            boolean inexact = stats != null && stats[2] != null;
            if (stats == null || stats[0] == null || stats[1] == null || inexact) {
                c.rangeKnown = false;
                return;
            }
            Comparable<Object> lo = decode(c, stats[0]);
            Comparable<Object> hi = decode(c, stats[1]);
            if (lo == null || hi == null) {
                c.rangeKnown = false;
                return;
            }
            if (c.min == null || lo.compareTo(c.min) < 0) {
                c.min = lo;
            }
            if (c.max == null || hi.compareTo(c.max) > 0) {
                c.max = hi;
            }
        }

        /** Fills {min_value, max_value, inexact-marker} and returns null_count (null if absent). */
        private Long statistics(byte[][] out) {
            Long nulls = null;
            begin();
            int id;
            while ((id = field()) != 0) {
                switch (id) {
                    case 3 -> nulls = varlong();
                    case 5 -> out[1] = binary();
                    case 6 -> out[0] = binary();
                    case 7, 8 -> {
                        if (fieldType == T_FALSE) {
                            out[2] = new byte[0];
                        }
                    }
                    default -> skip(fieldType);
                }
            }
            end();
            return nulls;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static Comparable<Object> decode(Column c, byte[] v) {
            ByteBuffer le = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
            Comparable value;
            if (c.decimal()) {
                BigInteger unscaled = switch (c.physical) {
                    case INT32 -> v.length == 4 ? BigInteger.valueOf(le.getInt()) : null;
                    case INT64 -> v.length == 8 ? BigInteger.valueOf(le.getLong()) : null;
                    case BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY -> v.length == 0 ? null : new BigInteger(v);
                    default -> null;
                };
                value = unscaled == null ? null : new BigDecimal(unscaled, c.decimalScale());
            } else {
                value = switch (c.physical) {
                    case INT32 -> v.length == 4 && c.signed ? Long.valueOf(le.getInt()) : null;
                    case INT64 -> v.length == 8 && c.signed ? Long.valueOf(le.getLong()) : null;
                    case FLOAT -> v.length == 4 && !Float.isNaN(le.getFloat(0)) ? Double.valueOf(Double.parseDouble(Float.toString(le.getFloat(0)))) : null;
                    case DOUBLE -> v.length == 8 && !Double.isNaN(le.getDouble(0)) ? Double.valueOf(le.getDouble(0)) : null;
                    case BYTE_ARRAY -> new Utf8(v);
                    default -> null;
                };
            }
            return (Comparable<Object>) value;
        }

        private String keyValueKey() {
            String key = null;
            begin();
            int id;
            while ((id = field()) != 0) {
                if (id == 1 && fieldType == T_BINARY) {
                    key = string();
                } else {
                    skip(fieldType);
                }
            }
            end();
            return key;
        }

        // -------------------------------------------------------- protocol primitives

        private void begin() {
            if (++depth >= lastId.length) {
                throw new IllegalStateException("structures nested too deeply");
            }
            lastId[depth] = 0;
        }

        private void end() {
            depth--;
        }

        /** Reads a field header; returns its id, or 0 at the end of the structure. */
        private int field() {
            int header = b[pos++] & 0xff;
            fieldType = header & 0x0f;
            if (fieldType == T_STOP) {
                return 0;
            }
            int delta = header >>> 4;
            short id = delta != 0 ? (short) (lastId[depth] + delta) : (short) zigzag(varint32());
            lastId[depth] = id;
            return id;
        }

        private int listHeader() {
            int header = b[pos++] & 0xff;
            int size = header >>> 4;
            if (size == 15) {
                size = varint32();
            }
            if (size < 0 || size > b.length) {
                throw new IllegalStateException("invalid list size " + size);
            }
            listElementType = header & 0x0f;
            return size;
        }

        private int listElementType;

        private int varint() {
            return zigzag(varint32());
        }

        private long varlong() {
            long raw = 0;
            int shift = 0;
            while (true) {
                byte x = b[pos++];
                raw |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    break;
                }
                shift += 7;
                if (shift > 63) {
                    throw new IllegalStateException("varint too long");
                }
            }
            return (raw >>> 1) ^ -(raw & 1);
        }

        private int varint32() {
            int raw = 0;
            int shift = 0;
            while (true) {
                byte x = b[pos++];
                raw |= (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return raw;
                }
                shift += 7;
                if (shift > 31) {
                    throw new IllegalStateException("varint too long");
                }
            }
        }

        private static int zigzag(int n) {
            return (n >>> 1) ^ -(n & 1);
        }

        private byte[] binary() {
            int n = varint32();
            if (n < 0 || n > b.length - pos) {
                throw new IllegalStateException("invalid binary length " + n);
            }
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        private String string() {
            return new String(binary(), StandardCharsets.UTF_8);
        }

        private void skip(int type) {
            switch (type) {
                case T_TRUE, T_FALSE -> { }
                case T_BYTE -> pos++;
                case T_I16, T_I32, T_I64 -> varlong();
                case T_DOUBLE -> pos += 8;
                case T_BINARY -> binary();
                case T_LIST, T_SET -> {
                    int n = listHeader();
                    int element = listElementType;
                    for (int i = 0; i < n; i++) {
                        skipElement(element);
                    }
                }
                case T_MAP -> {
                    int n = varint32();
                    if (n > 0) {
                        int kv = b[pos++] & 0xff;
                        for (int i = 0; i < n; i++) {
                            skipElement(kv >>> 4);
                            skipElement(kv & 0x0f);
                        }
                    }
                }
                case T_STRUCT -> {
                    begin();
                    while (field() != 0) {
                        skip(fieldType);
                    }
                    end();
                }
                default -> throw new IllegalStateException("unknown Thrift type " + type);
            }
        }

        /** Collection elements: booleans take a whole byte there, unlike in field headers. */
        private void skipElement(int type) {
            if (type == T_TRUE || type == T_FALSE) {
                pos++;
            } else {
                skip(type);
            }
        }
    }
}
