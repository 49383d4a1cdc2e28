package dev.kiln.serving;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the request bodies of MLflow's scoring protocol into rows: JSON with one of
 * {@code dataframe_split}, {@code dataframe_records}, {@code instances} or {@code inputs}, or CSV
 * with a header. Every named column must be a model input and every model input must be sent
 * (null, or an empty CSV field, is a missing value); positional rows must have the model's width.
 */
final class MlflowInput {
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final List<String> FORMATS = List.of("dataframe_split", "dataframe_records", "instances", "inputs");

    private MlflowInput() {
    }

    static JsonNode parse(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            JsonNode tree = JSON.readTree(p);
            if (tree == null) {
                throw new HttpFailure(400, "MALFORMED_REQUEST", "The request body is empty; send JSON such as "
                        + "{\"dataframe_split\": {\"columns\": [...], \"data\": [[...]]}}.");
            }
            if (p.nextToken() != null) {
                throw new HttpFailure(400, "MALFORMED_REQUEST", "The request body holds more than one JSON value.");
            }
            return tree;
        } catch (IOException e) {
            throw new HttpFailure(400, "MALFORMED_REQUEST", "The request body is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    static Batch fromJson(byte[] body, InputLayout layout, int maxRows) {
        JsonNode root = parse(body);
        if (!root.isObject()) {
            throw new HttpFailure(400, "MALFORMED_REQUEST", "The request body must be a JSON object with one of the keys " + FORMATS + ".");
        }
        String format = null;
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            if (FORMATS.contains(key)) {
                if (format != null) {
                    throw new HttpFailure(400, "MALFORMED_REQUEST", "The request has both '" + format + "' and '" + key + "'; send one of them.");
                }
                format = key;
            } else if (!(key.equals("params") && root.get(key).isObject() && root.get(key).isEmpty())) {
                throw new HttpFailure(400, "MALFORMED_REQUEST", "Unknown key '" + key + "' in the request; the body takes one of "
                        + FORMATS + (key.equals("params") ? " (this model takes no params)" : "") + ".");
            }
        }
        if (format == null) {
            throw new HttpFailure(400, "MALFORMED_REQUEST", "The request has none of the keys " + FORMATS
                    + "; for example {\"dataframe_records\": [{\"" + layout.feature(0).name() + "\": 1.0, ...}]}.");
        }
        JsonNode input = root.get(format);
        return switch (format) {
            case "dataframe_split" -> split(input, layout, maxRows);
            case "dataframe_records" -> {
                if (!input.isArray()) {
                    throw new HttpFailure(400, "MALFORMED_REQUEST", "'dataframe_records' must be a list of objects, one per row.");
                }
                yield records(input, layout, maxRows, format);
            }
            default -> tensor(input, layout, maxRows, format);
        };
    }

    /** {@code {"columns": [...], "data": [[...], ...]}}; without columns the rows are positional. */
    private static Batch split(JsonNode split, InputLayout layout, int maxRows) {
        if (!split.isObject() || !split.path("data").isArray()) {
            throw new HttpFailure(400, "MALFORMED_REQUEST", "'dataframe_split' must be an object with 'columns' and 'data' (a list of rows).");
        }
        JsonNode data = split.get("data");
        checkRows(data.size(), maxRows);
        int[] map;
        JsonNode columns = split.get("columns");
        if (columns == null || columns.isNull()) {
            map = identity(layout.width);
        } else {
            if (!columns.isArray()) {
                throw new HttpFailure(400, "MALFORMED_REQUEST", "'dataframe_split.columns' must be a list of input names.");
            }
            List<String> names = new ArrayList<>();
            columns.forEach(c -> names.add(c.asText()));
            map = columnMap(names, layout);
        }
        float[] values = new float[data.size() * layout.width];
        for (int r = 0; r < data.size(); r++) {
            JsonNode row = data.get(r);
            if (!row.isArray() || row.size() != map.length) {
                throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Row " + r + " of 'dataframe_split.data' has "
                        + (row.isArray() ? row.size() + " values" : "no list") + " but there are " + map.length + " columns.");
            }
            for (int c = 0; c < map.length; c++) {
                values[r * layout.width + map[c]] = value(row.get(c), layout, map[c], r);
            }
        }
        return new Batch(values, data.size());
    }

    /** A list of objects, one per row; a key absent from one row is missing there, but each input must appear somewhere. */
    private static Batch records(JsonNode records, InputLayout layout, int maxRows, String format) {
        checkRows(records.size(), maxRows);
        float[] values = new float[records.size() * layout.width];
        Arrays.fill(values, Float.NaN);
        boolean[] seen = new boolean[layout.width];
        for (int r = 0; r < records.size(); r++) {
            JsonNode record = records.get(r);
            if (!record.isObject()) {
                throw new HttpFailure(400, "MALFORMED_REQUEST", "Row " + r + " of '" + format + "' is not an object of input values.");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                int p = layout.position(e.getKey());
                seen[p] = true;
                values[r * layout.width + p] = value(e.getValue(), layout, p, r);
            }
        }
        requireAll(seen, layout);
        return new Batch(values, records.size());
    }

    /** {@code instances}/{@code inputs}: rows as objects or lists, or an object of columns. */
    private static Batch tensor(JsonNode input, InputLayout layout, int maxRows, String format) {
        if (input.isObject()) {
            return columns(input, layout, maxRows, format);
        }
        if (!input.isArray()) {
            throw new HttpFailure(400, "MALFORMED_REQUEST", "'" + format + "' must be a list of rows or an object of columns.");
        }
        if (input.size() > 0 && input.get(0).isObject()) {
            return records(input, layout, maxRows, format);
        }
        checkRows(input.size(), maxRows);
        float[] values = new float[input.size() * layout.width];
        for (int r = 0; r < input.size(); r++) {
            JsonNode row = input.get(r);
            if (!row.isArray() || row.size() != layout.width) {
                throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Row " + r + " of '" + format + "' has "
                        + (row.isArray() ? row.size() + " values" : "no list") + " but the model takes " + layout.width
                        + " inputs in order " + layout.preview() + ".");
            }
            for (int c = 0; c < layout.width; c++) {
                values[r * layout.width + c] = value(row.get(c), layout, c, r);
            }
        }
        return new Batch(values, input.size());
    }

    /** {@code {"age": [31, 45], "city": ["Paris", null]}}: one list per input, all of one length. */
    private static Batch columns(JsonNode input, InputLayout layout, int maxRows, String format) {
        int rows = -1;
        boolean[] seen = new boolean[layout.width];
        List<Map.Entry<String, JsonNode>> cols = new ArrayList<>();
        input.fields().forEachRemaining(cols::add);
        for (Map.Entry<String, JsonNode> col : cols) {
            int p = layout.position(col.getKey());
            seen[p] = true;
            JsonNode v = col.getValue();
            int n = v.isArray() ? v.size() : 1;
            if (rows >= 0 && n != rows) {
                throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Column '" + col.getKey() + "' of '" + format + "' has " + n
                        + " values but the columns before it have " + rows + ".");
            }
            rows = n;
        }
        requireAll(seen, layout);
        checkRows(rows, maxRows);
        float[] values = new float[rows * layout.width];
        for (Map.Entry<String, JsonNode> col : cols) {
            int p = layout.position(col.getKey());
            JsonNode v = col.getValue();
            for (int r = 0; r < rows; r++) {
                values[r * layout.width + p] = value(v.isArray() ? v.get(r) : v, layout, p, r);
            }
        }
        return new Batch(values, rows);
    }

    /** CSV with a header naming the inputs (any order); an empty field is missing. */
    static Batch fromCsv(byte[] body, InputLayout layout, int maxRows) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> lines = text.lines().filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            throw new HttpFailure(400, "MALFORMED_REQUEST", "The CSV body is empty; send a header line naming the inputs, then rows.");
        }
        int[] map = columnMap(Csv.split(lines.get(0), 1), layout);
        int rows = lines.size() - 1;
        checkRows(rows, maxRows);
        float[] values = new float[rows * layout.width];
        for (int r = 0; r < rows; r++) {
            List<String> fields = Csv.split(lines.get(r + 1), r + 2);
            if (fields.size() != map.length) {
                throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "CSV line " + (r + 2) + " has " + fields.size()
                        + " fields but the header has " + map.length + ".");
            }
            for (int c = 0; c < map.length; c++) {
                String s = fields.get(c).trim();
                int p = map[c];
                if (s.isEmpty()) {
                    values[r * layout.width + p] = Float.NaN;
                } else {
                    try {
                        values[r * layout.width + p] = Float.parseFloat(s);
                    } catch (NumberFormatException notNumber) {
                        values[r * layout.width + p] = layout.categoryCode(p, s);
                    }
                }
            }
        }
        return new Batch(values, rows);
    }

    private static int[] columnMap(List<String> names, InputLayout layout) {
        int[] map = new int[names.size()];
        boolean[] seen = new boolean[layout.width];
        for (int c = 0; c < names.size(); c++) {
            int p = layout.position(names.get(c).trim());
            if (seen[p]) {
                throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Column '" + names.get(c) + "' appears twice.");
            }
            seen[p] = true;
            map[c] = p;
        }
        requireAll(seen, layout);
        return map;
    }

    private static void requireAll(boolean[] seen, InputLayout layout) {
        List<String> absent = new ArrayList<>();
        for (int p = 0; p < seen.length; p++) {
            if (!seen[p]) {
                absent.add(layout.feature(p).name());
            }
        }
        if (!absent.isEmpty()) {
            throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "The request lacks " + absent.size() + " input(s) of the model: "
                    + (absent.size() > 10 ? absent.subList(0, 10) + "..." : absent) + "; send every input (null for a missing value).");
        }
    }

    static void checkRows(int rows, int maxRows) {
        if (rows > maxRows) {
            throw new HttpFailure(413, "REQUEST_LIMIT_EXCEEDED", "The request has " + rows + " rows; this server scores at most "
                    + maxRows + " per request: split the batch.");
        }
    }

    private static int[] identity(int width) {
        int[] map = new int[width];
        for (int i = 0; i < width; i++) {
            map[i] = i;
        }
        return map;
    }

    /** One JSON value as a model input: a number, a boolean, a category name, or null for missing. */
    static float value(JsonNode v, InputLayout layout, int position, int row) {
        if (v == null || v.isNull()) {
            return Float.NaN;
        }
        if (v.isNumber()) {
            return v.floatValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? 1f : 0f;
        }
        if (v.isTextual()) {
            return layout.categoryCode(position, v.textValue());
        }
        throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Row " + row + ", input '" + layout.feature(position).name() + "': a "
                + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " is not a value; send a number, a category name or null.");
    }

    private static String firstLine(String message) {
        int nl = message == null ? -1 : message.indexOf('\n');
        return nl < 0 ? String.valueOf(message) : message.substring(0, nl);
    }
}
