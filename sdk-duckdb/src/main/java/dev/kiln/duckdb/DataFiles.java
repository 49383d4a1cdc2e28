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
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
        // Statistics come from each file's footer, read in Java: RETURN_STATS costs a small commit more
        // than the footer parse, and the footer holds the same min/max/null counts.
        List<Path> files = new ArrayList<>();
        if (partitionColumns.isEmpty()) {
            Path file = tableDir.resolve("part-00000-" + UUID.randomUUID() + "-c000.snappy.parquet");
            try (Statement st = connection.createStatement()) {
                st.execute("COPY (" + select + ") TO " + DuckEngine.literal(file.toString()) + " (FORMAT parquet, COMPRESSION snappy)");
            }
            files.add(file);
        } else {
            StringBuilder by = new StringBuilder();
            for (String p : partitionColumns) {
                by.append(by.isEmpty() ? "" : ", ").append(DuckEngine.quote(p));
            }
            String copy = "COPY (" + select + ") TO " + DuckEngine.literal(tableDir.toString())
                    + " (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (" + by + "), APPEND, RETURN_FILES,"
                    + " FILENAME_PATTERN 'part-00000-{uuid}-c000.snappy')";
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(copy)) {
                while (rs.next()) {
                    java.sql.Array names = rs.getArray("Files");
                    for (Object name : names == null ? new Object[0] : (Object[]) names.getArray()) {
                        files.add(Path.of(name.toString()));
                    }
                }
            }
        }
        List<AddFile> added = new ArrayList<>();
        long now = System.currentTimeMillis();
        try {
            for (Path file : files) {
                ParquetFooter footer = ParquetFooter.read(file);
                if (footer.numRows == 0) {
                    deleteQuietly(file);
                    continue;
                }
                String relative = tableDir.relativize(file).toString().replace('\\', '/');
                Map<String, String> partitionValues = partitionValues(relative, schema, partitionColumns);
                String stats = stats(footer, schema, partitionColumns);
                added.add(new AddFile(encodePath(relative), partitionValues, Files.size(file), now, dataChange, stats, null, null));
            }
        } catch (java.io.IOException e) {
            for (Path file : files) {
                deleteQuietly(file);
            }
            throw new dev.kiln.StorageException("Cannot read back data file just written to " + tableDir + ": " + e.getMessage()
                    + ". Nothing was committed.", e);
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

    /** Builds {@code add.stats}: numRecords, and min/max/nullCount of the top-level primitive columns. */
    private static String stats(ParquetFooter footer, Schema schema, List<String> partitionColumns) {
        ObjectNode root = JSON.createObjectNode();
        root.put("numRecords", footer.numRows);
        ObjectNode min = root.putObject("minValues");
        ObjectNode max = root.putObject("maxValues");
        ObjectNode nulls = root.putObject("nullCount");
        for (Field field : schema.fields()) {
            if (partitionColumns.contains(field.name())) {
                continue;
            }
            ParquetFooter.Column c = footer.column(field.name());
            if (c == null || c.nested()) {
                continue;
            }
            if (c.nullCountKnown) {
                nulls.put(field.name(), c.nullCount);
            }
            if (c.rangeKnown && c.min != null && c.max != null) {
                putStat(min, field, c, c.min, false);
                putStat(max, field, c, c.max, true);
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putStat(ObjectNode node, Field field, ParquetFooter.Column column, Object value, boolean isMax) {
        if (!(field.type() instanceof DataType.Primitive || field.type() instanceof DataType.Decimal)) {
            return;
        }
        if (field.type() instanceof DataType.Decimal) {
            if (value instanceof BigDecimal d) {
                node.put(field.name(), d);
            }
            return;
        }
        switch ((DataType.Primitive) field.type()) {
            case TINYINT, SMALLINT, INT, BIGINT -> {
                if (value instanceof Long l) {
                    node.put(field.name(), l);
                }
            }
            case FLOAT, DOUBLE -> {
                if (value instanceof Double d && Double.isFinite(d)) {
                    node.put(field.name(), d);
                }
            }
            case DATE -> {
                if (value instanceof Long days) {
                    node.put(field.name(), LocalDate.ofEpochDay(days).toString());
                }
            }
            case STRING -> {
                if (value instanceof ParquetFooter.Utf8 utf8) {
                    String text = utf8.text();
                    if (text.length() <= STRING_STATS_PREFIX) {
                        node.put(field.name(), text);
                    } else if (!isMax) {
                        // a prefix is still a lower bound; cut before a surrogate pair, not inside it
                        int end = Character.isHighSurrogate(text.charAt(STRING_STATS_PREFIX - 1)) ? STRING_STATS_PREFIX - 1 : STRING_STATS_PREFIX;
                        node.put(field.name(), text.substring(0, end));
                    }
                }
            }
            case TIMESTAMP, TIMESTAMP_NTZ -> {
                Instant t = value instanceof Long units ? instant(units, column.unit) : null;
                if (t != null && field.type() == DataType.Primitive.TIMESTAMP) {
                    node.put(field.name(), t.atOffset(ZoneOffset.UTC).format(STATS_TS));
                } else if (t != null) {
                    node.put(field.name(), LocalDateTime.ofInstant(t, ZoneOffset.UTC).format(STATS_NTZ));
                }
            }
            default -> {
                // booleans and binary carry no useful range
            }
        }
    }

    /** A Parquet timestamp in its unit (1 millis, 2 micros, 3 nanos), truncated to what Delta stats hold (milliseconds). */
    private static Instant instant(long units, int unit) {
        return switch (unit) {
            case 1 -> Instant.ofEpochMilli(units);
            case 2 -> Instant.ofEpochMilli(Math.floorDiv(units, 1000L));
            case 3 -> Instant.ofEpochMilli(Math.floorDiv(units, 1_000_000L));
            default -> null;
        };
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
