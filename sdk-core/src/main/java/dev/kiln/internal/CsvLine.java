package dev.kiln.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of CSV as RFC 4180 quotes it: double quotes may enclose a field (commas inside
 * are data) and {@code ""} inside them is one quote; a trailing carriage return is dropped. Each
 * caller turns an unterminated quote into its own error (an HTTP 400, a command-line error).
 */
public final class CsvLine {
    private CsvLine() {
    }

    /**
     * Splits a line into its fields.
     *
     * @param line one line, without its line feed
     * @return the fields, unquoted; one empty field for an empty line
     * @throws IllegalArgumentException if a quoted field is not closed on this line
     */
    public static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c != '"') {
                    field.append(c);
                } else if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c != '\r') {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quote");
        }
        fields.add(field.toString());
        return fields;
    }
}
