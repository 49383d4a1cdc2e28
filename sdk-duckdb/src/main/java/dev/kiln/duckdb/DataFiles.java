package dev.kiln.duckdb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.duckdb.delta.AddFile;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Schema;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the rows of a query as Parquet data files of a table, one COPY per write, and turns what
 * DuckDB reports about each file into a Delta {@code add} action with statistics.
 */
final class DataFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";
    private static final DateTimeFormatter NTZ = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter STATS_TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    private static final DateTimeFormatter STATS_NTZ = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
    private static final int STRING_STATS_PREFIX = 32;

    private DataFiles() {
    }

    /**
     * Writes {@code select} (whose columns are the table's, in schema order) into the table folder.
     * Partition columns go into the folder names, not the files, as Delta expects.
     */
    static List<AddFile> write(Connection connection, String select, Path tableDir, Schema schema,
            List<String> partitionColumns, boolean dataChange) throws SQLException {
        String copy;
        if (partitionColumns.isEmpty()) {
            Path file = tableDir.resolve("part-00000-" + UUID.randomUUID() + "-c000.snappy.parquet");
            copy = "COPY (" + select + ") TO " + DuckEngine.literal(file.toString())
                    + " (FORMAT parquet, COMPRESSION snappy, RETURN_STATS)";
        } else {
            StringBuilder by = new StringBuilder();
            for (String p : partitionColumns) {
                by.append(by.isEmpty() ? "" : ", ").append(DuckEngine.quote(p));
            }
            copy = "COPY (" + select + ") TO " + DuckEngine.literal(tableDir.toString())
                    + " (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (" + by + "), APPEND, RETURN_STATS,"
                    + " FILENAME_PATTERN 'part-00000-{uuid}-c000.snappy')";
        }
        List<AddFile> added = new ArrayList<>();
        long now = System.currentTimeMillis();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(copy)) {
            while (rs.next()) {
                Path file = Path.of(rs.getString("filename"));
                long count = ((Number) rs.getObject("count")).longValue();
                if (count == 0) {
                    deleteQuietly(file);
                    continue;
                }
                long size = ((Number) rs.getObject("file_size_bytes")).longValue();
                String relative = tableDir.relativize(file).toString().replace('\\', '/');
                Map<String, String> partitionValues = partitionValues(relative, schema, partitionColumns);
                @SuppressWarnings("unchecked")
                Map<String, Map<String, String>> columnStats = (Map<String, Map<String, String>>) rs.getObject("column_statistics");
                String stats = stats(count, columnStats, schema, partitionColumns);
                added.add(new AddFile(encodePath(relative), partitionValues, size, now, dataChange, stats, null, null));
            }
        }
        return added;
    }

    /** Reads {@code a=1/b=x/part-...} back into partition values as Delta serialises them. */
    private static Map<String, String> partitionValues(String relative, Schema schema, List<String> partitionColumns) {
        Map<String, String> values = new LinkedHashMap<>();
        if (partitionColumns.isEmpty()) {
            return values;
        }
        String[] segments = relative.split("/");
        for (int i = 0; i < partitionColumns.size(); i++) {
            String segment = segments[i];
            String raw = percentDecode(segment.substring(segment.indexOf('=') + 1));
            String column = partitionColumns.get(i);
            DataType type = schema.field(column).orElseThrow().type();
            values.put(column, raw.equals(NULL_PARTITION) ? null : partitionValue(raw, type));
        }
        return values;
    }

    private static String partitionValue(String raw, DataType type) {
        if (type == DataType.Primitive.TIMESTAMP) {
            return OffsetDateTime.parse(raw.replace(' ', 'T').replaceAll("([+-]\\d\\d)$", "$1:00")).toInstant().toString();
        }
        if (type == DataType.Primitive.TIMESTAMP_NTZ) {
            return LocalDateTime.parse(raw.replace(' ', 'T')).format(NTZ);
        }
        return raw;
    }

    /** Builds {@code add.stats}: numRecords, and min/max/nullCount of top-level columns DuckDB reported. */
    private static String stats(long count, Map<String, Map<String, String>> columnStats, Schema schema, List<String> partitionColumns) {
        ObjectNode root = JSON.createObjectNode();
        root.put("numRecords", count);
        ObjectNode min = root.putObject("minValues");
        ObjectNode max = root.putObject("maxValues");
        ObjectNode nulls = root.putObject("nullCount");
        if (columnStats != null) {
            for (Field field : schema.fields()) {
                if (partitionColumns.contains(field.name())) {
                    continue;
                }
                Map<String, String> s = columnStats.get(DuckEngine.quote(field.name()));
                if (s == null) {
                    continue;
                }
                if (s.get("null_count") != null && !(field.type() instanceof DataType.Struct)) {
                    nulls.put(field.name(), Long.parseLong(s.get("null_count")));
                }
                if (!"true".equals(s.get("min_is_exact")) && s.get("min") != null) {
                    continue;
                }
                putStat(min, field, s.get("min"), false);
                putStat(max, field, s.get("max"), true);
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putStat(ObjectNode node, Field field, String value, boolean isMax) {
        if (value == null || !(field.type() instanceof DataType.Primitive || field.type() instanceof DataType.Decimal)) {
            return;
        }
        try {
            if (field.type() instanceof DataType.Decimal) {
                node.put(field.name(), new BigDecimal(value));
                return;
            }
            switch ((DataType.Primitive) field.type()) {
                case TINYINT, SMALLINT, INT, BIGINT -> node.put(field.name(), Long.parseLong(value));
                case FLOAT, DOUBLE -> {
                    double d = Double.parseDouble(value);
                    if (Double.isFinite(d)) {
                        node.put(field.name(), d);
                    }
                }
                case DATE -> node.put(field.name(), value);
                case STRING -> {
                    if (value.length() <= STRING_STATS_PREFIX) {
                        node.put(field.name(), value);
                    } else if (!isMax) {
                        node.put(field.name(), value.substring(0, STRING_STATS_PREFIX));
                    }
                }
                case TIMESTAMP -> {
                    OffsetDateTime t = OffsetDateTime.parse(value.replace(' ', 'T').replaceAll("([+-]\\d\\d)$", "$1:00"));
                    node.put(field.name(), t.withOffsetSameInstant(java.time.ZoneOffset.UTC).format(STATS_TS).replace("+00:00", "Z"));
                }
                case TIMESTAMP_NTZ -> node.put(field.name(), LocalDateTime.parse(value.replace(' ', 'T')).format(STATS_NTZ));
                default -> {
                    // booleans and binary carry no useful range
                }
            }
        } catch (RuntimeException e) {
            // a value we cannot read costs pruning only; leave it out
        }
    }

    /** Delta paths are URIs relative to the table: escape everything but unreserved characters and '/'. */
    static String encodePath(String relative) {
        StringBuilder sb = new StringBuilder();
        for (byte b : relative.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/=".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }

    static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && isHex(s, i + 1)) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(String s, int at) {
        return at + 1 < s.length() && Character.digit(s.charAt(at), 16) >= 0 && Character.digit(s.charAt(at + 1), 16) >= 0;
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException ignored) {
            // an orphan data file is harmless: no commit refers to it and vacuum removes it
        }
    }
}
