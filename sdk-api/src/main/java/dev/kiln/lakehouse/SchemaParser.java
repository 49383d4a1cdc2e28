package dev.kiln.lakehouse;

import dev.kiln.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A small recursive-descent reader for column DDL. */
final class SchemaParser {
    private final String text;
    private int pos;

    SchemaParser(String text) {
        if (text == null) {
            throw new InvalidArgumentException("A schema is required, e.g. \"id BIGINT, x DOUBLE\".");
        }
        this.text = text;
    }

    Schema parseSchema() {
        List<Field> fields = new ArrayList<>();
        do {
            fields.add(parseColumn(false));
        } while (accept(','));
        skipSpace();
        if (pos < text.length()) {
            throw error("',' or the end of the schema");
        }
        return new Schema(fields);
    }

    private Field parseColumn(boolean inStruct) {
        String name = parseName();
        skipSpace();
        if (inStruct) {
            accept(':');
        }
        DataType type = parseType();
        boolean nullable = true;
        int save = pos;
        String word = peekWord();
        if ("NOT".equals(word)) {
            readWord();
            if (!"NULL".equals(readWord())) {
                pos = save;
                throw error("NULL after NOT");
            }
            nullable = false;
        }
        return new Field(name, type, nullable, Map.of());
    }

    private String parseName() {
        skipSpace();
        if (pos < text.length() && (text.charAt(pos) == '`' || text.charAt(pos) == '"')) {
            char quote = text.charAt(pos++);
            StringBuilder sb = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == quote) {
                    if (pos < text.length() && text.charAt(pos) == quote) {
                        sb.append(quote);
                        pos++;
                        continue;
                    }
                    return sb.toString();
                }
                sb.append(c);
            }
            throw error("a closing " + quote);
        }
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            throw error("a column name");
        }
        return text.substring(start, pos);
    }

    private DataType parseType() {
        skipSpace();
        int start = pos;
        String word = readWord();
        switch (word) {
            case "BOOLEAN", "BOOL":
                return DataType.Primitive.BOOLEAN;
            case "TINYINT", "BYTE":
                return DataType.Primitive.TINYINT;
            case "SMALLINT", "SHORT":
                return DataType.Primitive.SMALLINT;
            case "INT", "INTEGER":
                return DataType.Primitive.INT;
            case "BIGINT", "LONG":
                return DataType.Primitive.BIGINT;
            case "FLOAT", "REAL":
                return DataType.Primitive.FLOAT;
            case "DOUBLE":
                return DataType.Primitive.DOUBLE;
            case "STRING", "VARCHAR", "TEXT":
                return DataType.Primitive.STRING;
            case "BINARY", "BLOB":
                return DataType.Primitive.BINARY;
            case "DATE":
                return DataType.Primitive.DATE;
            case "TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMP_LTZ":
                return DataType.Primitive.TIMESTAMP;
            case "TIMESTAMP_NTZ":
                return DataType.Primitive.TIMESTAMP_NTZ;
            case "DECIMAL", "NUMERIC":
                if (!accept('(')) {
                    return new DataType.Decimal(10, 0);
                }
                int precision = readInt();
                int scale = accept(',') ? readInt() : 0;
                expect(')');
                return new DataType.Decimal(precision, scale);
            case "ARRAY":
                expect('<');
                DataType element = parseType();
                expect('>');
                return new DataType.Array(element, true);
            case "MAP":
                expect('<');
                DataType key = parseType();
                expect(',');
                DataType value = parseType();
                expect('>');
                return new DataType.MapType(key, value, true);
            case "STRUCT":
                expect('<');
                List<Field> fields = new ArrayList<>();
                do {
                    fields.add(parseColumn(true));
                } while (accept(','));
                expect('>');
                return new DataType.Struct(fields);
            default:
                pos = start;
                throw error("a type (BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), STRING, BINARY, "
                        + "DATE, TIMESTAMP, TIMESTAMP_NTZ, ARRAY<..>, MAP<..,..>, STRUCT<..>)");
        }
    }

    private int readInt() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("a number");
        }
        return Integer.parseInt(text.substring(start, pos));
    }

    private String peekWord() {
        int save = pos;
        String w = readWord();
        pos = save;
        return w;
    }

    private String readWord() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        return text.substring(start, pos).toUpperCase(Locale.ROOT);
    }

    private boolean accept(char c) {
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!accept(c)) {
            throw error("'" + c + "'");
        }
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private InvalidArgumentException error(String expected) {
        return new InvalidArgumentException("Schema \"" + text + "\": expected " + expected + " at position " + pos
                + "; write columns as \"name TYPE, ...\".");
    }
}
