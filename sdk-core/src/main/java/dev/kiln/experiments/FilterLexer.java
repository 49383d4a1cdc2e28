package dev.kiln.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a filter or order-by clause into tokens. Identifiers are lexed whole: dotted parts, each
 * bare ({@code [letters digits _]+}), backtick-quoted, or (after a dot) double-quoted, so
 * {@code metrics.train.loss}, {@code tags.`mlflow.user`} and {@code params."max depth"} are one
 * token each.
 */
final class FilterLexer {

    enum Kind { IDENT, STRING, NUMBER, OP, LPAREN, RPAREN, COMMA, EOF }

    /** A part of a dotted identifier. */
    record Part(String text, boolean quoted, int position) {
    }

    /**
     * A token.
     *
     * @param kind the kind
     * @param text the raw text
     * @param value the unquoted value of a string
     * @param parts the parts of an identifier
     * @param position where it starts
     */
    record Token(Kind kind, String text, String value, List<Part> parts, int position) {

        boolean isKeyword(String keyword) {
            return kind == Kind.IDENT && parts.size() == 1 && !parts.get(0).quoted()
                    && parts.get(0).text().equalsIgnoreCase(keyword);
        }

        String describe() {
            return switch (kind) {
                case EOF -> "the end of the text";
                case STRING -> "the string " + text;
                default -> "'" + text + "'";
            };
        }
    }

    private final String input;
    private final String what;
    private int pos;

    FilterLexer(String input, String what) {
        this.input = input;
        this.what = what;
    }

    /**
     * Reads the next token; tokens are read on demand, so the first error in reading order is the
     * one reported.
     */
    Token next() {
        while (pos < input.length() && Character.isWhitespace(input.charAt(pos))) {
            pos++;
        }
        int start = pos;
        if (pos >= input.length()) {
            return new Token(Kind.EOF, "", "", List.of(), start);
        }
        char c = input.charAt(pos);
        switch (c) {
            case '(':
                pos++;
                return new Token(Kind.LPAREN, "(", "", List.of(), start);
            case ')':
                pos++;
                return new Token(Kind.RPAREN, ")", "", List.of(), start);
            case ',':
                pos++;
                return new Token(Kind.COMMA, ",", "", List.of(), start);
            case '\'':
            case '"': {
                String value = quoted(c);
                return new Token(Kind.STRING, input.substring(start, pos), value, List.of(), start);
            }
            default:
                break;
        }
        if (isNumberStart(pos)) {
            return number();
        }
        if (isWordChar(c) || c == '`') {
            return identifier();
        }
        if ("<>=!~".indexOf(c) >= 0) {
            while (pos < input.length() && "<>=!~".indexOf(input.charAt(pos)) >= 0) {
                pos++;
            }
            String op = input.substring(start, pos);
            return new Token(Kind.OP, op, op, List.of(), start);
        }
        boolean afterKey = start > 0 && (isWordChar(input.charAt(start - 1)) || input.charAt(start - 1) == '`');
        throw error(start, "a key, an operator, a value, '(' or ')'", "'" + c + "'", afterKey
                ? " Quote keys that contain spaces or symbols in backticks, e.g. metrics.`my-metric`." : "");
    }

    private boolean isNumberStart(int i) {
        char c = input.charAt(i);
        if (c == '+' || c == '-') {
            return i + 1 < input.length() && isNumberStart(i + 1) && input.charAt(i + 1) != '+' && input.charAt(i + 1) != '-';
        }
        if (c >= '0' && c <= '9') {
            return true;
        }
        return c == '.' && i + 1 < input.length() && Character.isDigit(input.charAt(i + 1));
    }

    private Token number() {
        int start = pos;
        if (input.charAt(pos) == '+' || input.charAt(pos) == '-') {
            pos++;
        }
        digits();
        if (pos < input.length() && input.charAt(pos) == '.') {
            pos++;
            digits();
        }
        if (pos < input.length() && (input.charAt(pos) == 'e' || input.charAt(pos) == 'E')) {
            int mark = pos;
            pos++;
            if (pos < input.length() && (input.charAt(pos) == '+' || input.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < input.length() && Character.isDigit(input.charAt(pos))) {
                digits();
            } else {
                pos = mark;
            }
        }
        if (pos < input.length() && (isWordChar(input.charAt(pos)) || input.charAt(pos) == '.')) {
            throw error(pos, "an operator, AND, OR or ')' after the number " + input.substring(start, pos),
                    "'" + input.charAt(pos) + "'", " Quote keys that start with a digit, e.g. metrics.`1st_auc`.");
        }
        String text = input.substring(start, pos);
        return new Token(Kind.NUMBER, text, text, List.of(), start);
    }

    private void digits() {
        while (pos < input.length() && Character.isDigit(input.charAt(pos))) {
            pos++;
        }
    }

    private Token identifier() {
        int start = pos;
        List<Part> parts = new ArrayList<>();
        boolean first = true;
        while (true) {
            int partStart = pos;
            char c = pos < input.length() ? input.charAt(pos) : '\0';
            if (c == '`') {
                parts.add(new Part(quoted('`'), true, partStart));
            } else if (c == '"' && !first) {
                parts.add(new Part(quoted('"'), true, partStart));
            } else if (pos < input.length() && isWordChar(c)) {
                while (pos < input.length() && isWordChar(input.charAt(pos))) {
                    pos++;
                }
                parts.add(new Part(input.substring(partStart, pos), false, partStart));
            } else {
                throw error(pos, "a key after '.'", found(pos),
                        " Quote keys with spaces or symbols in backticks, e.g. metrics.`my-metric`.");
            }
            first = false;
            if (pos < input.length() && input.charAt(pos) == '.') {
                pos++;
                continue;
            }
            break;
        }
        return new Token(Kind.IDENT, input.substring(start, pos), "", List.copyOf(parts), start);
    }

    /** Reads a quoted text starting at pos; a doubled quote or backslash-quote stands for the quote. */
    private String quoted(char quote) {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (c == quote) {
                if (pos + 1 < input.length() && input.charAt(pos + 1) == quote) {
                    sb.append(quote);
                    pos += 2;
                    continue;
                }
                pos++;
                return sb.toString();
            }
            if (c == '\\' && quote != '`' && pos + 1 < input.length()) {
                char n = input.charAt(pos + 1);
                if (n == quote) {
                    sb.append(quote);
                } else {
                    sb.append(c).append(n);
                }
                pos += 2;
                continue;
            }
            sb.append(c);
            pos++;
        }
        throw error(input.length(), "a closing " + quote + " for the text opened at position " + start,
                "the end of the text", "");
    }

    private String found(int at) {
        return at >= input.length() ? "the end of the text" : "'" + input.charAt(at) + "'";
    }

    static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    InvalidFilterException error(int at, String expected, String found, String hint) {
        return error(input, what, at, expected, found, hint);
    }

    static InvalidFilterException error(String input, String what, int at, String expected, String found,
            String hint) {
        StringBuilder msg = new StringBuilder("Invalid ").append(what).append(": expected ").append(expected)
                .append(" at position ").append(at).append(", found ").append(found).append('.').append(hint);
        if (!input.contains("\n") && input.length() <= 400) {
            msg.append("\n  ").append(input).append("\n  ").append(" ".repeat(Math.max(0, at))).append('^');
        }
        return new InvalidFilterException(msg.toString(), input, at, expected);
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
