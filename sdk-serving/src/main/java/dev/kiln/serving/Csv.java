package dev.kiln.serving;

import dev.kiln.internal.CsvLine;
import java.util.List;

/** A CSV request body's line, split; an unterminated quote is the client's error (400). */
final class Csv {
    private Csv() {
    }

    static List<String> split(String line, int lineNo) {
        try {
            return CsvLine.split(line);
        } catch (IllegalArgumentException unterminated) {
            throw new HttpFailure(400, "MALFORMED_REQUEST", "CSV line " + lineNo + " has an unterminated quote.");
        }
    }
}
