package dev.kiln.serving;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV line (RFC 4180 quoting: {@code "a,b"}, {@code ""} for a quote inside a quoted field). */
final class Csv {
    private Csv() {
    }

    static List<String> split(String line, int lineNo) {
        List<String> fields = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(cur.toString());
                cur.setLength(0);
            } else if (c != '\r') {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new HttpFailure(400, "MALFORMED_REQUEST", "CSV line " + lineNo + " has an unterminated quote.");
        }
        fields.add(cur.toString());
        return fields;
    }
}
