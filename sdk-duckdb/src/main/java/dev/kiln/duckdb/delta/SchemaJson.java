package dev.kiln.duckdb.delta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.StorageException;
import dev.kiln.UnsupportedFeatureException;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Schema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts between the Spark/Delta JSON schema ({@code schemaString}) and Kiln's {@link Schema}.
 *
 * <p>Field metadata is kept in {@link Field#metadata()} as strings: string values as they are,
 * other JSON values (numbers, booleans, objects, arrays, e.g. {@code delta.columnMapping.id}) as
 * their JSON text. On the way back, values of {@code delta.*} and {@code parquet.field.*} keys that
 * hold JSON numbers, booleans, objects or arrays are written as JSON values, except for the keys
 * Delta defines as strings (physical names, generation expressions, invariants); all other keys
 * are written as strings.
 */
public final class SchemaJson {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern DECIMAL = Pattern.compile("decimal\\(\\s*(\\d+)\\s*,\\s*(-?\\d+)\\s*\\)");
    private static final Pattern CHAR = Pattern.compile("(var)?char\\(\\s*\\d+\\s*\\)");
    private static final Set<String> STRING_KEYS = Set.of("delta.columnMapping.physicalName", "delta.generationExpression",
            "delta.invariants", "delta.identity.allowExplicitInsert.comment");
    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

    private SchemaJson() {
    }

    /**
     * Serialises a schema as Delta's JSON schema string.
     *
     * @param schema the schema
     * @return {@code {"type":"struct","fields":[...]}}
     */
    public static String toJson(Schema schema) {
        return structNode(schema.fields()).toString();
    }

    /**
     * Parses Delta's JSON schema string.
     *
     * @param schemaString the JSON
     * @return the schema
     * @throws StorageException if the JSON is malformed
     * @throws UnsupportedFeatureException if a type has no Kiln equivalent (variant, void, interval...)
     */
    public static Schema fromJson(String schemaString) {
        if (schemaString == null || schemaString.isBlank()) {
            throw new StorageException("The Delta table metadata has no schemaString; the log is corrupt: restore the metaData action.");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(schemaString);
        } catch (JsonProcessingException e) {
            throw new StorageException("The Delta schemaString is not valid JSON (" + e.getOriginalMessage() + "): " + abbreviate(schemaString), e);
        }
        if (root == null || !"struct".equals(root.path("type").asText()) || !root.path("fields").isArray()) {
            throw new StorageException("The Delta schemaString is not a struct type: " + abbreviate(schemaString));
        }
        return new Schema(fields(root.path("fields")));
    }

    static Schema fromJsonCached(String schemaString) {
        if (schemaString == null) {
            return fromJson(null);
        }
        Schema cached = CACHE.get(schemaString);
        if (cached == null) {
            cached = fromJson(schemaString);
            if (CACHE.size() > 256) {
                CACHE.clear();
            }
            CACHE.put(schemaString, cached);
        }
        return cached;
    }

    private static List<Field> fields(JsonNode array) {
        List<Field> out = new ArrayList<>(array.size());
        for (JsonNode f : array) {
            String name = f.path("name").asText(null);
            if (name == null) {
                throw new StorageException("A field of the Delta schemaString has no name: " + abbreviate(f.toString()));
            }
            DataType type = type(f.get("type"), name);
            boolean nullable = !f.has("nullable") || f.get("nullable").asBoolean(true);
            Map<String, String> meta = new LinkedHashMap<>();
            JsonNode m = f.get("metadata");
            if (m != null && m.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> it = m.properties().iterator();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode v = e.getValue();
                    if (v.isNull()) {
                        continue;
                    }
                    meta.put(e.getKey(), v.isTextual() ? v.asText() : v.toString());
                }
            }
            out.add(new Field(name, type, nullable, meta));
        }
        return out;
    }

    private static DataType type(JsonNode node, String column) {
        if (node == null || node.isNull()) {
            throw new StorageException("Column '" + column + "' of the Delta schemaString has no type.");
        }
        if (node.isTextual()) {
            String t = node.asText().trim().toLowerCase(java.util.Locale.ROOT);
            switch (t) {
                case "string": return DataType.Primitive.STRING;
                case "long": case "bigint": return DataType.Primitive.BIGINT;
                case "integer": case "int": return DataType.Primitive.INT;
                case "short": case "smallint": return DataType.Primitive.SMALLINT;
                case "byte": case "tinyint": return DataType.Primitive.TINYINT;
                case "float": case "real": return DataType.Primitive.FLOAT;
                case "double": return DataType.Primitive.DOUBLE;
                case "boolean": return DataType.Primitive.BOOLEAN;
                case "binary": return DataType.Primitive.BINARY;
                case "date": return DataType.Primitive.DATE;
                case "timestamp": return DataType.Primitive.TIMESTAMP;
                case "timestamp_ntz": return DataType.Primitive.TIMESTAMP_NTZ;
                case "decimal": return new DataType.Decimal(10, 0);
                default:
                    break;
            }
            Matcher d = DECIMAL.matcher(t);
            if (d.matches()) {
                int precision = Integer.parseInt(d.group(1));
                int scale = Integer.parseInt(d.group(2));
                if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
                    throw new UnsupportedFeatureException("Column '" + column + "' has type " + t
                            + ": Kiln supports decimal precision 1..38 with scale 0..precision.");
                }
                return new DataType.Decimal(precision, scale);
            }
            if (CHAR.matcher(t).matches()) {
                return DataType.Primitive.STRING;
            }
            throw new UnsupportedFeatureException("Column '" + column + "' has Delta type '" + node.asText()
                    + "', which Kiln does not support (no variant, void or interval columns); drop or cast the column with another engine to read this table.");
        }
        String kind = node.path("type").asText("");
        switch (kind) {
            case "struct":
                return new DataType.Struct(fields(node.path("fields")));
            case "array":
                return new DataType.Array(type(node.get("elementType"), column + ".element"),
                        !node.has("containsNull") || node.get("containsNull").asBoolean(true));
            case "map":
                return new DataType.MapType(type(node.get("keyType"), column + ".key"), type(node.get("valueType"), column + ".value"),
                        !node.has("valueContainsNull") || node.get("valueContainsNull").asBoolean(true));
            default:
                throw new UnsupportedFeatureException("Column '" + column + "' has Delta type " + abbreviate(node.toString())
                        + ", which Kiln does not support.");
        }
    }

    private static ObjectNode structNode(List<Field> fields) {
        ObjectNode s = NODES.objectNode();
        s.put("type", "struct");
        ArrayNode arr = s.putArray("fields");
        for (Field f : fields) {
            ObjectNode fn = arr.addObject();
            fn.put("name", f.name());
            fn.set("type", typeNode(f.type()));
            fn.put("nullable", f.nullable());
            ObjectNode meta = fn.putObject("metadata");
            for (Map.Entry<String, String> e : f.metadata().entrySet()) {
                meta.set(e.getKey(), metaValue(e.getKey(), e.getValue()));
            }
        }
        return s;
    }

    private static JsonNode metaValue(String key, String value) {
        if ((key.startsWith("delta.") || key.startsWith("parquet.field.")) && !STRING_KEYS.contains(key) && !value.isEmpty()) {
            char c = value.charAt(0);
            if (c == '{' || c == '[' || c == '-' || Character.isDigit(c) || value.equals("true") || value.equals("false")) {
                try {
                    JsonNode parsed = MAPPER.readTree(value);
                    if (parsed != null && !parsed.isTextual() && !parsed.isNull() && !parsed.isMissingNode()) {
                        return parsed;
                    }
                } catch (JsonProcessingException e) {
                    // not JSON: keep it as a string
                }
            }
        }
        return NODES.textNode(value);
    }

    private static JsonNode typeNode(DataType type) {
        if (type instanceof DataType.Primitive p) {
            return NODES.textNode(switch (p) {
                case BOOLEAN -> "boolean";
                case TINYINT -> "byte";
                case SMALLINT -> "short";
                case INT -> "integer";
                case BIGINT -> "long";
                case FLOAT -> "float";
                case DOUBLE -> "double";
                case STRING -> "string";
                case BINARY -> "binary";
                case DATE -> "date";
                case TIMESTAMP -> "timestamp";
                case TIMESTAMP_NTZ -> "timestamp_ntz";
            });
        }
        if (type instanceof DataType.Decimal d) {
            return NODES.textNode("decimal(" + d.precision() + "," + d.scale() + ")");
        }
        if (type instanceof DataType.Array a) {
            ObjectNode n = NODES.objectNode();
            n.put("type", "array");
            n.set("elementType", typeNode(a.element()));
            n.put("containsNull", a.containsNull());
            return n;
        }
        if (type instanceof DataType.MapType m) {
            ObjectNode n = NODES.objectNode();
            n.put("type", "map");
            n.set("keyType", typeNode(m.key()));
            n.set("valueType", typeNode(m.value()));
            n.put("valueContainsNull", m.valueContainsNull());
            return n;
        }
        return structNode(((DataType.Struct) type).fields());
    }

    /**
     * Tells whether a schema uses {@code timestamp_ntz} anywhere (a writer must then list the
     * {@code timestampNtz} table feature).
     *
     * @param schema the schema
     * @return true if some (nested) column is TIMESTAMP_NTZ
     */
    public static boolean usesTimestampNtz(Schema schema) {
        for (Field f : schema.fields()) {
            if (usesNtz(f.type())) {
                return true;
            }
        }
        return false;
    }

    private static boolean usesNtz(DataType t) {
        if (t == DataType.Primitive.TIMESTAMP_NTZ) {
            return true;
        }
        if (t instanceof DataType.Array a) {
            return usesNtz(a.element());
        }
        if (t instanceof DataType.MapType m) {
            return usesNtz(m.key()) || usesNtz(m.value());
        }
        if (t instanceof DataType.Struct s) {
            for (Field f : s.fields()) {
                if (usesNtz(f.type())) {
                    return true;
                }
            }
        }
        return false;
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
