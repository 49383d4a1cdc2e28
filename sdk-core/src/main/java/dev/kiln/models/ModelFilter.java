package dev.kiln.models;

import dev.kiln.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MLflow's {@code search_registered_models} filter: {@code name} and {@code tags.<key>} compared
 * with {@code =, !=, LIKE, ILIKE} to a quoted string, clauses joined by {@code AND}.
 */
final class ModelFilter {
    private static final Pattern CLAUSE = Pattern.compile(
            "\\s*(name|tags?\\.(?:`([^`]+)`|\"([^\"]+)\"|([A-Za-z0-9_.\\-]+)))\\s*(=|!=|<>|(?i:not\\s+like)|(?i:like)|(?i:ilike))\\s*"
                    + "(?:'((?:[^']|'')*)'|\"((?:[^\"]|\"\")*)\")\\s*", Pattern.CASE_INSENSITIVE);

    private final List<BiPredicate<String, Map<String, String>>> clauses;

    private ModelFilter(List<BiPredicate<String, Map<String, String>>> clauses) {
        this.clauses = clauses;
    }

    boolean test(String name, Map<String, String> tags) {
        for (BiPredicate<String, Map<String, String>> c : clauses) {
            if (!c.test(name, tags)) {
                return false;
            }
        }
        return true;
    }

    static ModelFilter parse(String filter) {
        List<BiPredicate<String, Map<String, String>>> clauses = new ArrayList<>();
        if (filter == null || filter.isBlank()) {
            return new ModelFilter(clauses);
        }
        for (String part : splitAnd(filter)) {
            Matcher m = CLAUSE.matcher(part);
            if (!m.matches()) {
                throw new InvalidArgumentException("Cannot parse model filter clause '" + part.trim() + "'. Use name = 'x', "
                        + "name LIKE 'churn%', name ILIKE '%Churn%' or tags.key = 'v', joined by AND.");
            }
            String field = m.group(1);
            String tag = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
            String op = m.group(5).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
            String literal = m.group(6) != null ? m.group(6).replace("''", "'") : m.group(7).replace("\"\"", "\"");
            BiPredicate<String, String> compare = switch (op) {
                case "=" -> (v, x) -> v != null && v.equals(x);
                case "!=", "<>" -> (v, x) -> v != null && !v.equals(x);
                case "LIKE" -> like(literal, false);
                case "NOT LIKE" -> like(literal, false).negate()::test;
                case "ILIKE" -> like(literal, true);
                default -> throw new IllegalStateException(op);
            };
            if (field.equalsIgnoreCase("name")) {
                clauses.add((name, tags) -> compare.test(name, literal));
            } else {
                clauses.add((name, tags) -> compare.test(tags.get(tag), literal));
            }
        }
        return new ModelFilter(clauses);
    }

    private static BiPredicate<String, String> like(String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '%' -> regex.append(".*");
                case '_' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Pattern p = Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL : Pattern.DOTALL);
        return (v, x) -> v != null && p.matcher(v).matches();
    }

    /** Splits on AND outside quotes. */
    private static List<String> splitAnd(String filter) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        int i = 0;
        while (i < filter.length()) {
            char c = filter.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                cur.append(c);
                i++;
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                quote = c;
                cur.append(c);
                i++;
                continue;
            }
            if (filter.regionMatches(true, i, " and ", 0, 5)) {
                parts.add(cur.toString());
                cur.setLength(0);
                i += 5;
                continue;
            }
            cur.append(c);
            i++;
        }
        if (quote != 0) {
            throw new InvalidArgumentException("Unclosed quote in model filter '" + filter + "'.");
        }
        parts.add(cur.toString());
        return parts;
    }
}
