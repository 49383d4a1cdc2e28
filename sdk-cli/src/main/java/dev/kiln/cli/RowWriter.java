package dev.kiln.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kiln.InvalidArgumentException;
import dev.kiln.lakehouse.Rows;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Prints rows for machines: JSON Lines (one object per row, columns in schema order) or CSV with a
 * header. Timestamps are ISO-8601 UTC with microseconds and {@code Z}, timestamp_ntz ISO local time,
 * decimals strings, NaN and infinities strings, binary base64, nested values JSON.
 */
final class RowWriter {
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private RowWriter() {
    }

    static long write(Rows rows, String format, Writer out) throws IOException {
        List<String> names = rows.schema().names();
        long count = 0;
        switch (format) {
            case "jsonl" -> {
                while (rows.next()) {
                    StringWriter line = new StringWriter();
                    try (JsonGenerator g = JSON.createGenerator(line)) {
                        g.writeStartObject();
                        for (int i = 0; i < names.size(); i++) {
                            g.writeFieldName(names.get(i));
                            json(g, rows.get(i));
                        }
                        g.writeEndObject();
                    }
                    out.write(line.toString());
                    out.write('\n');
                    count++;
                }
            }
            case "csv" -> {
                StringBuilder header = new StringBuilder();
                for (int i = 0; i < names.size(); i++) {
                    header.append(i == 0 ? "" : ",").append(csv(names.get(i)));
                }
                out.write(header.append('\n').toString());
                while (rows.next()) {
                    StringBuilder line = new StringBuilder();
                    for (int i = 0; i < names.size(); i++) {
                        Object v = rows.get(i);
                        line.append(i == 0 ? "" : ",").append(v == null ? "" : csv(text(v)));
                    }
                    out.write(line.append('\n').toString());
                    count++;
                }
            }
            default -> throw new InvalidArgumentException("Unknown format '" + format + "': use jsonl or csv.");
        }
        out.flush();
        return count;
    }

    /** A value as CSV shows it: scalars as JSON would spell them, unquoted; nested values as JSON text. */
    private static String text(Object v) throws IOException {
        if (v instanceof String s) {
            return s;
        }
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            json(g, v);
        }
        String s = w.toString();
        return s.startsWith("\"") && s.endsWith("\"") && !(v instanceof List || v instanceof Map) ? s.substring(1, s.length() - 1) : s;
    }

    private static String csv(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    static void json(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Double d) {
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeString(d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
            }
        } else if (v instanceof Float f) {
            if (Float.isFinite(f)) {
                g.writeNumber(f);
            } else {
                g.writeString(f.isNaN() ? "NaN" : f > 0 ? "Infinity" : "-Infinity");
            }
        } else if (v instanceof BigDecimal d) {
            g.writeString(d.toPlainString());
        } else if (v instanceof Number n) {
            g.writeNumber(n.longValue());
        } else if (v instanceof Instant t) {
            g.writeString(LocalDateTime.ofInstant(t, ZoneOffset.UTC).format(MICROS) + "Z");
        } else if (v instanceof LocalDateTime t) {
            g.writeString(t.format(MICROS));
        } else if (v instanceof byte[] bytes) {
            g.writeString(Base64.getEncoder().encodeToString(bytes));
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                json(g, item);
            }
            g.writeEndArray();
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                json(g, e.getValue());
            }
            g.writeEndObject();
        } else {
            g.writeString(v.toString());
        }
    }
}
