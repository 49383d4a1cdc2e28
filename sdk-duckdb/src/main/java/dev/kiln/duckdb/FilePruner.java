package dev.kiln.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.duckdb.delta.AddFile;
import dev.kiln.duckdb.delta.LogSnapshot;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Schema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Skips files that cannot hold a row matching a filter, from their partition values and
 * {@code add.stats} min/max. Each top-level AND clause is used if it only touches partition columns,
 * or is a plain comparison of a column with a literal; anything else is left to the row filter, so
 * pruning can only ever keep too many files, never too few.
 */
final class FilePruner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COMPARISON = Pattern.compile(
            "(?s)^\\s*(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_]*)\\s*(=|==|<=|>=|<|>)\\s*(.+?)\\s*$");
    private static final Pattern REVERSED = Pattern.compile(
            "(?s)^\\s*(.+?)\\s*(=|==|<=|>=|<|>)\\s*(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_]*)\\s*$");
    private static final Pattern LITERAL = Pattern.compile(
            "(?is)^(-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?|'([^']|'')*'|(DATE|TIMESTAMP|TIMESTAMPTZ)\\s+'([^']|'')*')$");
    private static final Pattern IDENT = Pattern.compile("\"([^\"]+)\"|([A-Za-z_][A-Za-z0-9_]*)");

    private FilePruner() {
    }

    static List<AddFile> prune(Connection connection, LogSnapshot snapshot, String filter) throws SQLException {
        List<AddFile> files = snapshot.files();
        if (files.isEmpty() || filter == null || filter.isBlank()) {
            return files;
        }
        Schema schema = snapshot.schema();
        Set<String> partitions = new HashSet<>();
        for (String p : snapshot.metadata().partitionColumns()) {
            partitions.add(p.toLowerCase(Locale.ROOT));
        }
        List<String> conditions = new ArrayList<>();
        Set<Field> statColumns = new LinkedHashSet<>();
        for (String clause : splitAnd(filter)) {
            Set<String> columns = columnsIn(clause, schema);
            if (!columns.isEmpty() && partitions.containsAll(columns)) {
                conditions.add("(" + clause + ")");
                continue;
            }
            String translated = statsCondition(clause, schema, partitions, statColumns);
            if (translated != null) {
                conditions.add(translated);
            }
        }
        if (conditions.isEmpty()) {
            return files;
        }
        boolean useStats = !statColumns.isEmpty() && !"name".equals(mappingMode(snapshot)) && !"id".equals(mappingMode(snapshot));
        if (!useStats && conditions.stream().anyMatch(c -> c.contains("\"__min_") || c.contains("\"__max_"))) {
            conditions.removeIf(c -> c.contains("\"__min_") || c.contains("\"__max_"));
            if (conditions.isEmpty()) {
                return files;
            }
        }
        StringBuilder values = new StringBuilder();
        StringBuilder names = new StringBuilder("i");
        for (String p : snapshot.metadata().partitionColumns()) {
            names.append(", ").append(DuckEngine.quote(p.toLowerCase(Locale.ROOT)));
        }
        if (useStats) {
            for (Field f : statColumns) {
                names.append(", ").append(DuckEngine.quote("__min_" + f.name())).append(", ").append(DuckEngine.quote("__max_" + f.name()));
            }
        }
        for (int i = 0; i < files.size(); i++) {
            AddFile file = files.get(i);
            values.append(i == 0 ? "(" : ", (").append(i);
            for (String p : snapshot.metadata().partitionColumns()) {
                Field f = schema.field(p).orElseThrow();
                String raw = file.partitionValues() == null ? null : file.partitionValues().get(p);
                values.append(", ").append(typed(raw, f.type()));
            }
            if (useStats) {
                JsonNode stats = parseStats(file.stats());
                for (Field f : statColumns) {
                    values.append(", ").append(typed(statValue(stats, "minValues", f), f.type()));
                    String max = statValue(stats, "maxValues", f);
                    if (f.type() == DataType.Primitive.STRING && max != null && max.length() >= 32) {
                        max = null; // writers truncate long strings in stats: the stored max may be below the real one
                    }
                    String typedMax = typed(max, f.type());
                    if (f.type() == DataType.Primitive.TIMESTAMP && max != null) {
                        typedMax = "(" + typedMax + " + INTERVAL 1 MILLISECOND)"; // stats keep milliseconds only
                    }
                    values.append(", ").append(typedMax);
                }
            }
            values.append(')');
        }
        String sql = "SELECT i FROM (VALUES " + values + ") AS files(" + names + ") WHERE " + String.join(" AND ", conditions);
        List<AddFile> kept = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                kept.add(files.get(rs.getInt(1)));
            }
        }
        return kept;
    }

    private static String mappingMode(LogSnapshot snapshot) {
        Map<String, String> conf = snapshot.metadata().configuration();
        return conf == null ? "none" : conf.getOrDefault("delta.columnMapping.mode", "none");
    }

    private static String statsCondition(String clause, Schema schema, Set<String> partitions, Set<Field> statColumns) {
        String column;
        String op;
        String literal;
        Matcher m = COMPARISON.matcher(clause);
        Matcher r = REVERSED.matcher(clause);
        if (m.matches() && LITERAL.matcher(m.group(3)).matches()) {
            column = unquote(m.group(1));
            op = m.group(2);
            literal = m.group(3);
        } else if (r.matches() && LITERAL.matcher(r.group(1)).matches()) {
            column = unquote(r.group(3));
            op = flip(r.group(2));
            literal = r.group(1);
        } else {
            return null;
        }
        Field field = schema.field(column).orElse(null);
        if (field == null || partitions.contains(field.name().toLowerCase(Locale.ROOT))
                || !(field.type() instanceof DataType.Primitive || field.type() instanceof DataType.Decimal)
                || field.type() == DataType.Primitive.BOOLEAN || field.type() == DataType.Primitive.BINARY) {
            return null;
        }
        boolean floating = field.type() == DataType.Primitive.FLOAT || field.type() == DataType.Primitive.DOUBLE;
        statColumns.add(field);
        String min = DuckEngine.quote("__min_" + field.name());
        String max = DuckEngine.quote("__max_" + field.name());
        String lit = "CAST(" + literal + " AS " + DuckTypes.duck(field.type()) + ")";
        String lower = "(" + min + " IS NULL OR " + min + " " + (op.startsWith("<") ? op : "<=") + " " + lit + ")";
        // NaN sorts above every number in DuckDB but is left out of min/max: never prune on a float's max.
        String upper = floating ? "TRUE" : "(" + max + " IS NULL OR " + max + " " + (op.startsWith(">") ? op : ">=") + " " + lit + ")";
        return switch (op) {
            case "=", "==" -> lower + " AND " + upper;
            case "<", "<=" -> lower;
            default -> upper;
        };
    }

    private static String flip(String op) {
        return switch (op) {
            case "<" -> ">";
            case "<=" -> ">=";
            case ">" -> "<";
            case ">=" -> "<=";
            default -> op;
        };
    }

    private static String unquote(String name) {
        return name.startsWith("\"") ? name.substring(1, name.length() - 1) : name;
    }

    private static String typed(String raw, DataType type) {
        if (raw == null) {
            return "NULL::" + DuckTypes.duck(type);
        }
        return "TRY_CAST(" + DuckEngine.literal(raw) + " AS " + DuckTypes.duck(type) + ")";
    }

    private static JsonNode parseStats(String stats) {
        if (stats == null || stats.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(stats);
        } catch (java.io.IOException e) {
            return null; // unreadable stats only cost pruning, never correctness
        }
    }

    private static String statValue(JsonNode stats, String kind, Field field) {
        if (stats == null) {
            return null;
        }
        JsonNode node = stats.path(kind).path(field.name());
        return node.isMissingNode() || node.isNull() || node.isContainerNode() ? null : node.asText();
    }

    private static Set<String> columnsIn(String clause, Schema schema) {
        Set<String> columns = new HashSet<>();
        String withoutStrings = clause.replaceAll("'([^']|'')*'", "''");
        Matcher m = IDENT.matcher(withoutStrings);
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            schema.field(name).ifPresent(f -> columns.add(f.name().toLowerCase(Locale.ROOT)));
        }
        return columns;
    }

    /** Splits on top-level AND (outside parentheses and quotes); BETWEEN keeps the clause whole. */
    static List<String> splitAnd(String filter) {
        List<String> parts = new ArrayList<>();
        if (filter.toUpperCase(Locale.ROOT).contains("BETWEEN")) {
            parts.add(filter);
            return parts;
        }
        int depth = 0;
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && (c == 'a' || c == 'A') && filter.regionMatches(true, i, "AND", 0, 3)
                    && (i == 0 || !Character.isLetterOrDigit(filter.charAt(i - 1)))
                    && (i + 3 >= filter.length() || !Character.isLetterOrDigit(filter.charAt(i + 3)))) {
                parts.add(filter.substring(start, i));
                start = i + 3;
                i += 2;
            }
        }
        parts.add(filter.substring(start));
        List<String> trimmed = new ArrayList<>();
        for (String p : parts) {
            String t = p.trim();
            // a clause wrapped in parentheses as a whole is split again
            if (t.startsWith("(") && t.endsWith(")") && balanced(t.substring(1, t.length() - 1))) {
                trimmed.addAll(splitAnd(t.substring(1, t.length() - 1)));
            } else if (!t.isEmpty()) {
                trimmed.add(t);
            }
        }
        return trimmed;
    }

    private static boolean balanced(String s) {
        int depth = 0;
        boolean quoted = false;
        for (char c : s.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && --depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }
}
