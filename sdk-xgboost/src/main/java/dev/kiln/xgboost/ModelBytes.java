package dev.kiln.xgboost;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.kiln.MalformedModelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads XGBoost's JSON or UBJSON into plain values: {@code Map<String,Object>}, {@code List<Object>},
 * {@link Nums} for numeric arrays, {@code String}, {@code Long}, {@code Float}, {@code Double},
 * {@code Boolean} and null. Bounded: nesting depth, and every count checked against the bytes left.
 */
final class ModelBytes {
    static final int MAX_DEPTH = 64;

    private ModelBytes() {
    }

    static Object read(byte[] bytes) {
        int i = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            i = 3; // UTF-8 byte order mark
        }
        while (i < bytes.length && isSpace(bytes[i])) {
            i++;
        }
        if (i >= bytes.length) {
            throw new MalformedModelException("The model is empty: expected an XGBoost JSON or UBJSON model.");
        }
        if (bytes[i] != '{') {
            throw new MalformedModelException("Not an XGBoost model: JSON and UBJSON models start with '{' (found byte 0x"
                    + Integer.toHexString(bytes[i] & 0xff) + "). The old binary format is not supported: re-save the "
                    + "model with XGBoost >= 1.6 as .json or .ubj.");
        }
        int j = i + 1;
        while (j < bytes.length && isSpace(bytes[j])) {
            j++;
        }
        boolean json = j >= bytes.length || bytes[j] == '"' || bytes[j] == '}';
        try {
            return json ? readJson(bytes) : new Ubjson(bytes, i).readDocument();
        } catch (MalformedModelException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new MalformedModelException("Cannot read the " + (json ? "JSON" : "UBJSON") + " model: "
                    + e.getMessage(), e);
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    // ---------------------------------------------------------------- JSON

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(400).maxStringLength(Integer.MAX_VALUE - 64).build())
            .build();

    private static Object readJson(byte[] bytes) throws IOException {
        try (JsonParser p = JSON.createParser(bytes)) {
            JsonToken t = p.nextToken();
            Object v = jsonValue(p, t, 0);
            if (p.nextToken() != null) {
                throw new MalformedModelException("Unexpected content after the end of the JSON model at "
                        + p.currentLocation().getByteOffset() + ".");
            }
            return v;
        }
    }

    private static Object jsonValue(JsonParser p, JsonToken t, int depth) throws IOException {
        if (t == null) {
            throw new MalformedModelException("The JSON model is truncated.");
        }
        if (depth > MAX_DEPTH) {
            throw new MalformedModelException("The JSON model nests deeper than " + MAX_DEPTH + " levels.");
        }
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                JsonToken k;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    m.put(key, jsonValue(p, p.nextToken(), depth + 1));
                }
                if (k != JsonToken.END_OBJECT) {
                    throw new MalformedModelException("The JSON model is truncated inside an object.");
                }
                return m;
            }
            case START_ARRAY:
                return jsonArray(p, depth);
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return jsonInt(p);
            case VALUE_NUMBER_FLOAT:
                return Float.parseFloat(p.getText());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new MalformedModelException("Unexpected JSON token " + t + ".");
        }
    }

    private static Object jsonInt(JsonParser p) throws IOException {
        String s = p.getText();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Double.parseDouble(s);
        }
    }

    /** Arrays of numbers become {@link Nums}; anything else a list. */
    private static Object jsonArray(JsonParser p, int depth) throws IOException {
        long[] ints = new long[16];
        float[] floats = null;
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            if (floats == null && n == ints.length) {
                ints = Arrays.copyOf(ints, n * 2);
            }
            if (t == JsonToken.VALUE_NUMBER_FLOAT || floats != null) {
                if (floats == null) {
                    floats = new float[Math.max(16, ints.length)];
                    for (int i = 0; i < n; i++) {
                        floats[i] = ints[i];
                    }
                    ints = null;
                }
                if (n == floats.length) {
                    floats = Arrays.copyOf(floats, n * 2);
                }
                floats[n++] = Float.parseFloat(p.getText());
            } else {
                Object v = jsonInt(p);
                if (v instanceof Long l) {
                    ints[n++] = l;
                } else {
                    floats = new float[Math.max(16, ints.length)];
                    for (int i = 0; i < n; i++) {
                        floats[i] = ints[i];
                    }
                    ints = null;
                    floats[n++] = ((Double) v).floatValue();
                }
            }
        }
        if (t == JsonToken.END_ARRAY) {
            return floats != null ? new Nums.F32(Arrays.copyOf(floats, n)) : new Nums.I64(Arrays.copyOf(ints, n));
        }
        List<Object> list = new ArrayList<>(n + 4);
        for (int i = 0; i < n; i++) {
            list.add(floats != null ? (Object) floats[i] : (Object) ints[i]);
        }
        while (t != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new MalformedModelException("The JSON model is truncated inside an array.");
            }
            list.add(jsonValue(p, t, depth + 1));
            t = p.nextToken();
        }
        return list;
    }

    // ---------------------------------------------------------------- UBJSON

    /** A hand-written reader for the UBJSON subset XGBoost writes (and the rest of draft 12). */
    static final class Ubjson {
        private final byte[] b;
        private int pos;

        Ubjson(byte[] b, int start) {
            this.b = b;
            this.pos = start;
        }

        Object readDocument() {
            Object v = value(marker(), 0);
            while (pos < b.length && (b[pos] == 'N' || isSpace(b[pos]) || b[pos] == 0)) {
                pos++;
            }
            if (pos != b.length) {
                throw bad("unexpected bytes after the end of the model");
            }
            return v;
        }

        private MalformedModelException bad(String what) {
            return new MalformedModelException("Malformed UBJSON model at byte " + pos + ": " + what + ".");
        }

        private void need(long n) {
            if (n < 0 || n > b.length - pos) {
                throw bad("the model is truncated (needs " + n + " more bytes, " + (b.length - pos) + " left)");
            }
        }

        private byte marker() {
            byte m;
            do {
                need(1);
                m = b[pos++];
            } while (m == 'N');
            return m;
        }

        private long integer(byte type) {
            switch (type) {
                case 'i':
                    need(1);
                    return b[pos++];
                case 'U':
                    need(1);
                    return b[pos++] & 0xff;
                case 'I': {
                    need(2);
                    int v = (short) (((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff));
                    pos += 2;
                    return v;
                }
                case 'l': {
                    need(4);
                    int v = ((b[pos] & 0xff) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8)
                            | (b[pos + 3] & 0xff);
                    pos += 4;
                    return v;
                }
                case 'L': {
                    need(8);
                    long v = 0;
                    for (int k = 0; k < 8; k++) {
                        v = (v << 8) | (b[pos + k] & 0xff);
                    }
                    pos += 8;
                    return v;
                }
                default:
                    pos--;
                    throw bad("expected an integer marker, found " + describe(type));
            }
        }

        private static String describe(byte m) {
            return m >= 32 && m < 127 ? "'" + (char) m + "'" : "byte 0x" + Integer.toHexString(m & 0xff);
        }

        private int count(byte type) {
            long n = integer(type);
            if (n < 0 || n > b.length) {
                throw bad("invalid length " + n);
            }
            return (int) n;
        }

        private String string(int n) {
            need(n);
            String s = new String(b, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        private float f32() {
            need(4);
            int bits = ((b[pos] & 0xff) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8)
                    | (b[pos + 3] & 0xff);
            pos += 4;
            return Float.intBitsToFloat(bits);
        }

        private double f64() {
            return Double.longBitsToDouble(integer((byte) 'L'));
        }

        private Object value(byte m, int depth) {
            switch (m) {
                case 'Z':
                    return null;
                case 'T':
                    return Boolean.TRUE;
                case 'F':
                    return Boolean.FALSE;
                case 'i':
                case 'U':
                case 'I':
                case 'l':
                case 'L':
                    return integer(m);
                case 'd':
                    return f32();
                case 'D':
                    return f64();
                case 'C':
                    need(1);
                    return String.valueOf((char) (b[pos++] & 0xff));
                case 'S':
                case 'H':
                    return string(count(marker()));
                case '[':
                    return array(depth + 1);
                case '{':
                    return object(depth + 1);
                default:
                    pos--;
                    throw bad("unknown marker " + describe(m));
            }
        }

        private Object array(int depth) {
            if (depth > MAX_DEPTH) {
                throw bad("nesting deeper than " + MAX_DEPTH + " levels");
            }
            need(1);
            if (b[pos] == '$') {
                pos++;
                byte type = marker();
                if (marker() != '#') {
                    pos--;
                    throw bad("a typed array needs a count ('#')");
                }
                int n = count(marker());
                return typedArray(type, n, depth);
            }
            if (b[pos] == '#') {
                pos++;
                int n = count(marker());
                need(n); // every element takes at least one byte
                List<Object> list = new ArrayList<>(Math.min(n, 1 << 16));
                for (int k = 0; k < n; k++) {
                    list.add(value(marker(), depth));
                }
                return simplify(list);
            }
            List<Object> list = new ArrayList<>();
            byte m;
            while ((m = marker()) != ']') {
                list.add(value(m, depth));
            }
            return simplify(list);
        }

        private Object typedArray(byte type, int n, int depth) {
            switch (type) {
                case 'd': {
                    need(4L * n);
                    float[] a = new float[n];
                    for (int k = 0; k < n; k++) {
                        a[k] = f32();
                    }
                    return new Nums.F32(a);
                }
                case 'D': {
                    need(8L * n);
                    double[] a = new double[n];
                    for (int k = 0; k < n; k++) {
                        a[k] = f64();
                    }
                    return new Nums.F64(a);
                }
                case 'i':
                case 'U': {
                    need(n);
                    byte[] a = Arrays.copyOfRange(b, pos, pos + n);
                    pos += n;
                    return new Nums.I8(a, type == 'U');
                }
                case 'I':
                case 'l': {
                    need((type == 'I' ? 2L : 4L) * n);
                    int[] a = new int[n];
                    for (int k = 0; k < n; k++) {
                        a[k] = (int) integer(type);
                    }
                    return new Nums.I32(a);
                }
                case 'L': {
                    need(8L * n);
                    long[] a = new long[n];
                    for (int k = 0; k < n; k++) {
                        a[k] = integer(type);
                    }
                    return new Nums.I64(a);
                }
                case 'T':
                case 'F':
                case 'Z': {
                    List<Object> list = new ArrayList<>(Math.min(n, 1 << 16));
                    for (int k = 0; k < n; k++) {
                        list.add(value(type, depth));
                    }
                    return list;
                }
                default: {
                    need(n);
                    List<Object> list = new ArrayList<>(Math.min(n, 1 << 16));
                    for (int k = 0; k < n; k++) {
                        list.add(value(type, depth));
                    }
                    return list;
                }
            }
        }

        private Object object(int depth) {
            if (depth > MAX_DEPTH) {
                throw bad("nesting deeper than " + MAX_DEPTH + " levels");
            }
            Map<String, Object> m = new LinkedHashMap<>();
            need(1);
            if (b[pos] == '$' || b[pos] == '#') {
                byte type = 0;
                if (b[pos] == '$') {
                    pos++;
                    type = marker();
                    need(1);
                    if (b[pos] != '#') {
                        throw bad("a typed object needs a count ('#')");
                    }
                }
                pos++;
                int n = count(marker());
                need(n);
                for (int k = 0; k < n; k++) {
                    String key = string(count(marker()));
                    m.put(key, value(type != 0 ? type : marker(), depth));
                }
                return m;
            }
            byte km;
            while ((km = marker()) != '}') {
                String key = string(count(km));
                m.put(key, value(marker(), depth));
            }
            return m;
        }
    }

    /** A list of plain numbers becomes {@link Nums}. */
    private static Object simplify(List<Object> list) {
        boolean allLong = true;
        for (Object o : list) {
            if (o instanceof Long) {
                continue;
            }
            if (o instanceof Float || o instanceof Double) {
                allLong = false;
                continue;
            }
            return list;
        }
        int n = list.size();
        if (allLong) {
            long[] a = new long[n];
            for (int k = 0; k < n; k++) {
                a[k] = (Long) list.get(k);
            }
            return new Nums.I64(a);
        }
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = ((Number) list.get(k)).floatValue();
        }
        return new Nums.F32(a);
    }
}
