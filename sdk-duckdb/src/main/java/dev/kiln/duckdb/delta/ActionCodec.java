package dev.kiln.duckdb.delta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.StorageException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and writes actions as the single-line JSON objects of Delta log files. */
final class ActionCodec {
    static final ObjectMapper MAPPER = SchemaJson.MAPPER;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ActionCodec() {
    }

    /** A parsed line: a modelled action, or a sidecar reference (V2 checkpoints), or nothing. */
    record Parsed(Action action, String sidecarPath, boolean checkpointMetadata) {
    }

    /**
     * Parses one wrapper object, e.g. {@code {"add":{...}}}. Wrapper keys with null values are
     * ignored (checkpoint rows converted to JSON hold one non-null column).
     */
    static void parseWrapper(JsonNode wrapper, String source, List<Action> out, List<String> sidecars) {
        Iterator<Map.Entry<String, JsonNode>> it = wrapper.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode body = e.getValue();
            if (body == null || body.isNull()) {
                continue;
            }
            switch (e.getKey()) {
                case "add" -> out.add(add(body, source));
                case "remove" -> out.add(remove(body, source));
                case "metaData" -> out.add(metadata(body, source));
                case "protocol" -> out.add(protocol(body, source));
                case "commitInfo" -> out.add(commitInfo(body));
                case "txn" -> out.add(new SetTransaction(text(body, "appId"), body.path("version").asLong(), longOrNull(body, "lastUpdated")));
                case "domainMetadata" -> out.add(new DomainMetadata(text(body, "domain"), text(body, "configuration"),
                        body.path("removed").asBoolean(false)));
                case "sidecar" -> {
                    if (sidecars != null) {
                        sidecars.add(required(body, "path", "sidecar", source));
                    }
                }
                default -> {
                    // cdc, checkpointMetadata and future actions do not change a snapshot's files
                }
            }
        }
    }

    static List<Action> parseLines(byte[] content, String source, List<String> sidecars) {
        return parseLines(content, source, sidecars, false);
    }

    private static final byte[] COMMIT_INFO_PREFIX = "{\"commitInfo\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private static boolean startsWith(byte[] content, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (content[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses the lines of a log file.
     *
     * @param skipCommitInfo true to skip lines that start with {@code {"commitInfo"} (replay of intermediate commits)
     */
    static List<Action> parseLines(byte[] content, String source, List<String> sidecars, boolean skipCommitInfo) {
        List<Action> out = new ArrayList<>();
        int start = 0;
        int n = content.length;
        int lineNo = 0;
        while (start < n) {
            int end = start;
            while (end < n && content[end] != '\n') {
                end++;
            }
            lineNo++;
            int s = start;
            int e = end;
            while (s < e && (content[s] == ' ' || content[s] == '\t' || content[s] == '\r')) {
                s++;
            }
            while (e > s && (content[e - 1] == ' ' || content[e - 1] == '\t' || content[e - 1] == '\r')) {
                e--;
            }
            if (e > s && !(skipCommitInfo && startsWith(content, s, e, COMMIT_INFO_PREFIX))) {
                JsonNode node;
                try {
                    node = MAPPER.readTree(content, s, e - s);
                } catch (java.io.IOException ex) {
                    throw new StorageException("Line " + lineNo + " of Delta log file " + source + " is not valid JSON ("
                            + ex.getMessage() + "); the log is corrupt: restore the file from a backup.", ex);
                }
                if (node == null || !node.isObject()) {
                    throw new StorageException("Line " + lineNo + " of Delta log file " + source + " is not a JSON object; the log is corrupt.");
                }
                parseWrapper(node, source, out, sidecars);
            }
            start = end + 1;
        }
        return out;
    }

    static AddFile add(JsonNode b, String source) {
        return new AddFile(required(b, "path", "add", source), stringMap(b.get("partitionValues")), b.path("size").asLong(),
                b.path("modificationTime").asLong(), b.path("dataChange").asBoolean(true), textOrJson(b.get("stats")),
                dv(b.get("deletionVector")), stringMapOrNull(b.get("tags")));
    }

    static RemoveFile remove(JsonNode b, String source) {
        return new RemoveFile(required(b, "path", "remove", source), b.path("deletionTimestamp").asLong(0), b.path("dataChange").asBoolean(true),
                stringMapOrNull(b.get("partitionValues")), longOrNull(b, "size"), dv(b.get("deletionVector")));
    }

    static Metadata metadata(JsonNode b, String source) {
        List<String> parts = new ArrayList<>();
        JsonNode pc = b.get("partitionColumns");
        if (pc != null && pc.isArray()) {
            for (JsonNode p : pc) {
                parts.add(p.asText());
            }
        }
        String schema = text(b, "schemaString");
        return new Metadata(text(b, "id"), text(b, "name"), text(b, "description"), schema, parts, stringMap(b.get("configuration")),
                longOrNull(b, "createdTime"));
    }

    static Protocol protocol(JsonNode b, String source) {
        if (!b.has("minReaderVersion") || !b.has("minWriterVersion")) {
            throw new StorageException("The protocol action in " + source + " lacks minReaderVersion/minWriterVersion; the log is corrupt.");
        }
        return new Protocol(b.get("minReaderVersion").asInt(), b.get("minWriterVersion").asInt(), stringSet(b.get("readerFeatures")),
                stringSet(b.get("writerFeatures")));
    }

    @SuppressWarnings("unchecked")
    static CommitInfoAction commitInfo(JsonNode b) {
        return new CommitInfoAction((Map<String, Object>) plain(b));
    }

    /** Converts a JSON tree to plain Java values (LinkedHashMap, ArrayList, String, Long/Integer/Double/BigDecimal, Boolean, null). */
    static Object plain(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.properties().forEach(e -> m.put(e.getKey(), plain(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>(n.size());
            n.forEach(x -> l.add(plain(x)));
            return l;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToInt() ? (Object) n.intValue() : n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.isBigDecimal() ? n.decimalValue() : n.doubleValue();
        }
        return n.asText();
    }

    static DeletionVector dv(JsonNode n) {
        if (n == null || n.isNull() || !n.isObject()) {
            return null;
        }
        JsonNode off = n.get("offset");
        return new DeletionVector(text(n, "storageType"), text(n, "pathOrInlineDv"), off == null || off.isNull() ? null : off.asInt(),
                n.path("sizeInBytes").asInt(), n.path("cardinality").asLong());
    }

    private static String required(JsonNode b, String field, String action, String source) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            throw new StorageException("A " + action + " action in " + source + " has no '" + field + "'; the log is corrupt.");
        }
        return v.asText();
    }

    private static String text(JsonNode b, String field) {
        JsonNode v = b.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String textOrJson(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isTextual() ? v.asText() : v.toString();
    }

    private static Long longOrNull(JsonNode b, String field) {
        JsonNode v = b.get(field);
        return v == null || v.isNull() ? null : v.asLong();
    }

    private static Map<String, String> stringMap(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
            }
        } else if (n != null && n.isArray()) {
            // Some engines serialise maps as arrays of {key, value}.
            for (JsonNode kv : n) {
                JsonNode v = kv.get("value");
                m.put(kv.path("key").asText(), v == null || v.isNull() ? null : v.asText());
            }
        }
        return m;
    }

    private static Map<String, String> stringMapOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : stringMap(n);
    }

    private static Set<String> stringSet(JsonNode n) {
        if (n == null || n.isNull() || !n.isArray()) {
            return null;
        }
        Set<String> s = new LinkedHashSet<>();
        for (JsonNode v : n) {
            s.add(v.asText());
        }
        return s;
    }

    // ---------------------------------------------------------------- writing

    static ObjectNode toJson(Action action) {
        ObjectNode wrapper = NODES.objectNode();
        if (action instanceof AddFile a) {
            ObjectNode b = wrapper.putObject("add");
            b.put("path", a.path());
            putMap(b.putObject("partitionValues"), a.partitionValues());
            b.put("size", a.size());
            b.put("modificationTime", a.modificationTime());
            b.put("dataChange", a.dataChange());
            if (a.stats() != null) {
                b.put("stats", a.stats());
            }
            if (a.tags() != null) {
                putMap(b.putObject("tags"), a.tags());
            }
            if (a.deletionVector() != null) {
                b.set("deletionVector", dvJson(a.deletionVector()));
            }
        } else if (action instanceof RemoveFile r) {
            ObjectNode b = wrapper.putObject("remove");
            b.put("path", r.path());
            b.put("deletionTimestamp", r.deletionTimestamp());
            b.put("dataChange", r.dataChange());
            if (r.partitionValues() != null && r.size() != null) {
                b.put("extendedFileMetadata", true);
            }
            if (r.partitionValues() != null) {
                putMap(b.putObject("partitionValues"), r.partitionValues());
            }
            if (r.size() != null) {
                b.put("size", r.size());
            }
            if (r.deletionVector() != null) {
                b.set("deletionVector", dvJson(r.deletionVector()));
            }
        } else if (action instanceof Metadata m) {
            ObjectNode b = wrapper.putObject("metaData");
            b.put("id", m.id());
            if (m.name() != null) {
                b.put("name", m.name());
            }
            if (m.description() != null) {
                b.put("description", m.description());
            }
            ObjectNode format = b.putObject("format");
            format.put("provider", "parquet");
            format.putObject("options");
            b.put("schemaString", m.schemaString());
            ArrayNode pc = b.putArray("partitionColumns");
            m.partitionColumns().forEach(pc::add);
            putMap(b.putObject("configuration"), m.configuration());
            if (m.createdTime() != null) {
                b.put("createdTime", m.createdTime());
            }
        } else if (action instanceof Protocol p) {
            ObjectNode b = wrapper.putObject("protocol");
            b.put("minReaderVersion", p.minReaderVersion());
            b.put("minWriterVersion", p.minWriterVersion());
            if (p.minReaderVersion() >= 3) {
                ArrayNode rf = b.putArray("readerFeatures");
                if (p.readerFeatures() != null) {
                    p.readerFeatures().forEach(rf::add);
                }
            }
            if (p.minWriterVersion() >= 7) {
                ArrayNode wf = b.putArray("writerFeatures");
                if (p.writerFeatures() != null) {
                    p.writerFeatures().forEach(wf::add);
                }
            }
        } else if (action instanceof CommitInfoAction c) {
            try {
                wrapper.set("commitInfo", MAPPER.valueToTree(c.values()));
            } catch (IllegalArgumentException e) {
                throw new dev.kiln.InvalidArgumentException("A commitInfo value cannot be written as JSON (" + e.getMessage()
                        + "); use strings, numbers, booleans, lists and maps (e.g. an Instant as its epoch milliseconds).", e);
            }
        } else if (action instanceof SetTransaction t) {
            ObjectNode b = wrapper.putObject("txn");
            b.put("appId", t.appId());
            b.put("version", t.version());
            if (t.lastUpdated() != null) {
                b.put("lastUpdated", t.lastUpdated());
            }
        } else if (action instanceof DomainMetadata d) {
            ObjectNode b = wrapper.putObject("domainMetadata");
            b.put("domain", d.domain());
            b.put("configuration", d.configuration());
            b.put("removed", d.removed());
        }
        return wrapper;
    }

    private static ObjectNode dvJson(DeletionVector dv) {
        ObjectNode n = NODES.objectNode();
        n.put("storageType", dv.storageType());
        n.put("pathOrInlineDv", dv.pathOrInlineDv());
        if (dv.offset() != null) {
            n.put("offset", dv.offset());
        }
        n.put("sizeInBytes", dv.sizeInBytes());
        n.put("cardinality", dv.cardinality());
        return n;
    }

    private static void putMap(ObjectNode target, Map<String, String> values) {
        if (values != null) {
            values.forEach(target::put);
        }
    }

    static String line(Action action) {
        try {
            return MAPPER.writeValueAsString(toJson(action));
        } catch (JsonProcessingException e) {
            throw new StorageException("Cannot serialise a Delta " + action.getClass().getSimpleName() + " action: " + e.getMessage(), e);
        }
    }
}
