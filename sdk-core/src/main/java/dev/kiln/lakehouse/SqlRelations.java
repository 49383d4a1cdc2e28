package dev.kiln.lakehouse;

import dev.kiln.InvalidArgumentException;
import dev.kiln.spi.RelationResolver;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Finds lakehouse table references in SQL (outside quotes and comments) and replaces each by a
 * relation name bound to a snapshot. A qualified name {@code a.b} counts as a table reference only
 * if such a table exists, so column references like {@code o.id} pass through.
 */
final class SqlRelations implements RelationResolver {
    private final Function<String, Table> tables;
    private final java.util.function.Predicate<String> exists;

    SqlRelations(java.util.function.Predicate<String> exists, Function<String, Table> tables) {
        this.exists = exists;
        this.tables = tables;
    }

    @Override
    public ResolvedSql resolve(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new InvalidArgumentException("A SQL query is required.");
        }
        StringBuilder out = new StringBuilder(sql.length() + 32);
        Map<String, Snapshot> relations = new LinkedHashMap<>();
        int i = 0;
        int n = sql.length();
        char prev = ' ';
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = skipQuoted(sql, i, c);
                out.append(sql, i, end);
                i = end;
                prev = c;
                continue;
            }
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end;
                continue;
            }
            if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(sql, i, end);
                i = end;
                continue;
            }
            if (isIdentStart(c) && !isIdentPart(prev) && prev != '.') {
                int end = i;
                while (end < n && isIdentPart(sql.charAt(end))) {
                    end++;
                }
                if (end + 1 < n && sql.charAt(end) == '.' && isIdentStart(sql.charAt(end + 1))) {
                    int end2 = end + 1;
                    while (end2 < n && isIdentPart(sql.charAt(end2))) {
                        end2++;
                    }
                    boolean moreDots = end2 < n && sql.charAt(end2) == '.';
                    String name = sql.substring(i, end2).toLowerCase(Locale.ROOT);
                    if (!moreDots && exists.test(name)) {
                        int[] consumed = {end2};
                        Snapshot snapshot = travel(sql, end2, name, consumed);
                        String relation = name + "@v" + snapshot.version();
                        relations.put(relation, snapshot);
                        out.append('"').append(relation).append('"');
                        if (!followedByAlias(sql, consumed[0])) {
                            // keep the short name usable as an alias, as in FROM sales.orders WHERE orders.id = 1
                            out.append(" AS \"").append(name.substring(name.indexOf('.') + 1)).append('"');
                        }
                        i = consumed[0];
                        prev = 'x';
                        continue;
                    }
                }
                out.append(sql, i, end);
                prev = sql.charAt(end - 1);
                i = end;
                continue;
            }
            out.append(c);
            prev = c;
            i++;
        }
        return new ResolvedSql(out.toString(), relations);
    }

    private Snapshot travel(String sql, int from, String name, int[] consumed) {
        Table table = tables.apply(name);
        java.util.regex.Matcher version = java.util.regex.Pattern
                .compile("\\G\\s+(?i:VERSION\\s+AS\\s+OF)\\s+(\\d+)").matcher(sql);
        if (version.find(from)) {
            consumed[0] = version.end();
            return table.asOfVersion(Long.parseLong(version.group(1)));
        }
        java.util.regex.Matcher time = java.util.regex.Pattern
                .compile("\\G\\s+(?i:TIMESTAMP\\s+AS\\s+OF)\\s+'([^']*)'").matcher(sql);
        if (time.find(from)) {
            consumed[0] = time.end();
            try {
                return table.asOfTimestamp(Instant.parse(time.group(1)));
            } catch (DateTimeParseException e) {
                throw new InvalidArgumentException("TIMESTAMP AS OF '" + time.group(1) + "' on " + name
                        + ": write an ISO-8601 instant such as '2024-05-01T00:00:00Z'.", e);
            }
        }
        return table.latest();
    }

    private static final java.util.Set<String> CLAUSE_WORDS = java.util.Set.of("WHERE", "JOIN", "LEFT", "RIGHT", "INNER", "OUTER",
            "FULL", "CROSS", "ON", "USING", "GROUP", "ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "HAVING", "WINDOW", "QUALIFY",
            "NATURAL", "ASOF", "POSITIONAL", "ANTI", "SEMI", "LATERAL", "OFFSET", "SAMPLE", "TABLESAMPLE", "PIVOT", "UNPIVOT",
            "SELECT", "FROM", "VALUES", "SET", "VERSION", "TIMESTAMP", "FETCH", "FOR", "WHEN", "THEN", "ELSE", "END", "AND", "OR");

    /** True if the user gave the table an alias of their own ({@code FROM s.t x} or {@code FROM s.t AS x}). */
    private static boolean followedByAlias(String sql, int from) {
        int i = from;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        if (i < sql.length() && sql.charAt(i) == '"') {
            return true;
        }
        int start = i;
        while (i < sql.length() && isIdentPart(sql.charAt(i))) {
            i++;
        }
        if (start == i) {
            return false;
        }
        String word = sql.substring(start, i).toUpperCase(Locale.ROOT);
        return word.equals("AS") || !CLAUSE_WORDS.contains(word);
    }

    private static int skipQuoted(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
