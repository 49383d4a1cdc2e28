package dev.kiln.experiments;

import dev.kiln.experiments.FilterExpr.Comparison;
import dev.kiln.experiments.FilterExpr.ListLiteral;
import dev.kiln.experiments.FilterExpr.Literal;
import dev.kiln.experiments.FilterExpr.NumberLiteral;
import dev.kiln.experiments.FilterExpr.StringLiteral;
import dev.kiln.experiments.FilterLexer.Kind;
import dev.kiln.experiments.FilterLexer.Part;
import dev.kiln.experiments.FilterLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses MLflow's {@code search_runs} filter grammar, plus {@code OR} and parentheses:
 * <pre>
 * filter     := [ or ] EOF
 * or         := and ( OR and )*
 * and        := primary ( AND primary )*
 * primary    := '(' or ')' | comparison
 * comparison := identifier operator value | identifier IS [NOT] NULL
 * operator   := = | != | &lt; | &lt;= | &gt; | &gt;= | LIKE | ILIKE | IN | NOT IN
 * value      := number | 'string' | "string" | '(' string ( ',' string )* ')'
 * </pre>
 * Keywords are case-insensitive. Errors are {@link InvalidFilterException}s naming the position
 * and the expected token.
 */
public final class FilterParser {

    /** The attribute keys that hold strings. */
    public static final Set<String> STRING_ATTRIBUTES = Set.of("run_id", "run_name", "status", "user_id", "artifact_uri");
    /** The attribute keys that hold times (milliseconds since the epoch). */
    public static final Set<String> TIME_ATTRIBUTES = Set.of("start_time", "end_time");
    /** The fields of a dataset input. */
    public static final Set<String> DATASET_FIELDS = Set.of("name", "digest", "context");

    private static final String ATTRIBUTE_LIST =
            "run_id, run_name, status, user_id, artifact_uri, start_time, end_time (or created, `Run name`)";

    private final String input;
    private final String what;
    /** The deepest nesting of parentheses accepted. */
    static final int MAX_DEPTH = 64;

    private final FilterLexer lexer;
    private Token current;
    private int depth;

    private FilterParser(String input, String what) {
        this.input = input;
        this.what = what;
        this.lexer = new FilterLexer(input, what);
    }

    /**
     * Parses a filter.
     *
     * @param filter the filter text; null or blank matches every run
     * @return the syntax tree
     * @throws InvalidFilterException if it is malformed, with the position and the expected token
     */
    public static FilterExpr parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return new FilterExpr.MatchAll();
        }
        FilterParser p = new FilterParser(filter, "search filter");
        FilterExpr e = p.or();
        Token t = p.peek();
        if (t.kind() != Kind.EOF) {
            throw p.error(t.position(), "AND, OR or the end of the filter", t.describe(), "");
        }
        return e;
    }

    /**
     * Parses order-by entries. Each entry is {@code <type>.<key> [ASC|DESC]}; an entry may also hold
     * several, separated by commas.
     *
     * @param entries the entries, most significant first
     * @return the keys
     * @throws InvalidFilterException if an entry is malformed
     */
    public static List<OrderKey> parseOrderBy(List<String> entries) {
        List<OrderKey> keys = new ArrayList<>();
        for (String entry : entries) {
            keys.addAll(parseOrderBy(entry));
        }
        return List.copyOf(keys);
    }

    /**
     * Parses one order-by entry (or several separated by commas).
     *
     * @param entry e.g. {@code metrics.auc DESC, params.max_depth}
     * @return the keys
     * @throws InvalidFilterException if it is malformed
     */
    public static List<OrderKey> parseOrderBy(String entry) {
        FilterParser p = new FilterParser(entry == null ? "" : entry, "order-by clause");
        List<OrderKey> keys = new ArrayList<>();
        while (true) {
            Token t = p.next();
            if (t.kind() != Kind.IDENT) {
                throw p.error(t.position(), "a key to order by, e.g. metrics.auc or attributes.start_time",
                        t.describe(), "");
            }
            Key key = p.key(t, true);
            boolean ascending = true;
            Token dir = p.peek();
            if (dir.isKeyword("ASC") || dir.isKeyword("DESC")) {
                p.next();
                ascending = dir.isKeyword("ASC");
            }
            keys.add(new OrderKey(key.type, key.key, ascending));
            Token after = p.next();
            if (after.kind() == Kind.EOF) {
                return keys;
            }
            if (after.kind() != Kind.COMMA) {
                throw p.error(after.position(), "ASC, DESC, ',' or the end of the clause", after.describe(), "");
            }
        }
    }

    private FilterExpr or() {
        List<FilterExpr> terms = new ArrayList<>();
        terms.add(and());
        while (peek().isKeyword("OR")) {
            next();
            terms.add(and());
        }
        return terms.size() == 1 ? terms.get(0) : new FilterExpr.Or(terms);
    }

    private FilterExpr and() {
        List<FilterExpr> terms = new ArrayList<>();
        terms.add(primary());
        while (peek().isKeyword("AND")) {
            next();
            terms.add(primary());
        }
        return terms.size() == 1 ? terms.get(0) : new FilterExpr.And(terms);
    }

    private FilterExpr primary() {
        Token t = next();
        if (t.kind() == Kind.LPAREN) {
            if (++depth > MAX_DEPTH) {
                throw error(t.position(), "at most " + MAX_DEPTH + " nested parentheses", "more", "");
            }
            FilterExpr inner = or();
            depth--;
            Token close = next();
            if (close.kind() != Kind.RPAREN) {
                throw error(close.position(), "')' to close the '(' at position " + t.position()
                        + ", or AND/OR", close.describe(), "");
            }
            return inner;
        }
        if (t.kind() != Kind.IDENT || t.isKeyword("AND") || t.isKeyword("OR")) {
            throw error(t.position(), "a comparison such as metrics.auc > 0.8, or '('", t.describe(), "");
        }
        return comparison(t);
    }

    private Comparison comparison(Token ident) {
        Key key = key(ident, false);
        Token opToken = next();
        CompareOp op = operator(opToken);
        Set<CompareOp> allowed = allowedOps(key);
        if (!allowed.contains(op)) {
            String hint = (op == CompareOp.IN || op == CompareOp.NOT_IN) && key.type == EntityType.ATTRIBUTE
                    ? " Only run_id and datasets fields take a list."
                    : op == CompareOp.IS_NULL || op == CompareOp.IS_NOT_NULL
                    ? " IS NULL and IS NOT NULL apply to params and tags only." : "";
            throw error(opToken.position(), "one of " + CompareOp.describe(allowed) + " for " + key.describe(),
                    "'" + op.symbol() + "'", hint);
        }
        Literal value;
        if (op == CompareOp.IS_NULL || op == CompareOp.IS_NOT_NULL) {
            value = new FilterExpr.NoLiteral();
        } else if (op == CompareOp.IN || op == CompareOp.NOT_IN) {
            value = list();
        } else if (isNumeric(key)) {
            Token v = next();
            if (v.kind() != Kind.NUMBER) {
                throw error(v.position(), "a number for " + key.describe(), v.describe(),
                        v.kind() == Kind.STRING ? " Metrics and times compare with unquoted numbers, e.g. > 0.8." : "");
            }
            double d;
            try {
                d = Double.parseDouble(v.text());
            } catch (NumberFormatException e) {
                throw error(v.position(), "a number", v.describe(), "");
            }
            value = new NumberLiteral(d, v.text());
        } else {
            Token v = next();
            if (v.kind() != Kind.STRING) {
                throw error(v.position(), "a quoted string for " + key.describe(), v.describe(),
                        " Quote string values, e.g. '" + (v.kind() == Kind.NUMBER ? v.text() : "value") + "'.");
            }
            value = new StringLiteral(v.value());
        }
        return new Comparison(key.type, key.key, op, value, ident.position());
    }

    private ListLiteral list() {
        Token open = next();
        if (open.kind() != Kind.LPAREN) {
            throw error(open.position(), "'(' to start a list of quoted strings", open.describe(), "");
        }
        List<String> values = new ArrayList<>();
        while (true) {
            Token v = next();
            if (v.kind() != Kind.STRING) {
                throw error(v.position(), values.isEmpty() ? "a quoted string (the list cannot be empty)"
                        : "a quoted string after ','", v.describe(), "");
            }
            values.add(v.value());
            Token sep = next();
            if (sep.kind() == Kind.RPAREN) {
                return new ListLiteral(values);
            }
            if (sep.kind() != Kind.COMMA) {
                throw error(sep.position(), "',' or ')' in the list", sep.describe(), "");
            }
        }
    }

    private CompareOp operator(Token t) {
        if (t.kind() == Kind.OP) {
            switch (t.text()) {
                case "=":
                    return CompareOp.EQ;
                case "!=":
                    return CompareOp.NE;
                case "<":
                    return CompareOp.LT;
                case "<=":
                    return CompareOp.LE;
                case ">":
                    return CompareOp.GT;
                case ">=":
                    return CompareOp.GE;
                default:
                    break;
            }
        } else if (t.isKeyword("LIKE")) {
            return CompareOp.LIKE;
        } else if (t.isKeyword("ILIKE")) {
            return CompareOp.ILIKE;
        } else if (t.isKeyword("IN")) {
            return CompareOp.IN;
        } else if (t.isKeyword("NOT")) {
            Token in = next();
            if (!in.isKeyword("IN")) {
                throw error(in.position(), "IN after NOT", in.describe(), "");
            }
            return CompareOp.NOT_IN;
        } else if (t.isKeyword("IS")) {
            Token n = next();
            boolean not = n.isKeyword("NOT");
            if (not) {
                n = next();
            }
            if (!n.isKeyword("NULL")) {
                throw error(n.position(), not ? "NULL after IS NOT" : "NULL or NOT NULL after IS", n.describe(), "");
            }
            return not ? CompareOp.IS_NOT_NULL : CompareOp.IS_NULL;
        }
        throw error(t.position(), "a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL)",
                t.describe(), "");
    }

    private static Set<CompareOp> allowedOps(Key key) {
        return switch (key.type) {
            case METRIC -> CompareOp.NUMERIC;
            case PARAM, TAG -> CompareOp.STRING_OR_NULL;
            case DATASET -> CompareOp.STRING_OR_LIST;
            case ATTRIBUTE -> TIME_ATTRIBUTES.contains(key.key) ? CompareOp.NUMERIC
                    : key.key.equals("run_id") ? CompareOp.STRING_OR_LIST : CompareOp.STRING;
        };
    }

    private static boolean isNumeric(Key key) {
        return key.type == EntityType.METRIC
                || key.type == EntityType.ATTRIBUTE && TIME_ATTRIBUTES.contains(key.key);
    }

    /** A resolved identifier. */
    private record Key(EntityType type, String key) {
        String describe() {
            return type == EntityType.ATTRIBUTE ? "attribute '" + key + "'" : type.label() + " '" + key + "'";
        }
    }

    private Key key(Token t, boolean forOrder) {
        List<Part> parts = t.parts();
        EntityType type;
        String key;
        int keyPos;
        if (parts.size() == 1) {
            type = EntityType.ATTRIBUTE;
            key = parts.get(0).text();
            keyPos = parts.get(0).position();
        } else {
            Part prefix = parts.get(0);
            type = EntityType.ofPrefix(prefix.text()).orElseThrow(() -> error(prefix.position(),
                    "an entity type (metrics, params, tags, attributes, datasets)", "'" + prefix.text() + "'", ""));
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < parts.size(); i++) {
                if (i > 1) {
                    sb.append('.');
                }
                sb.append(parts.get(i).text());
            }
            key = sb.toString();
            keyPos = parts.get(1).position();
        }
        if (key.isEmpty()) {
            throw error(keyPos, "a non-empty key", "an empty key", "");
        }
        if (type == EntityType.ATTRIBUTE) {
            String resolved = attribute(key);
            if (resolved == null) {
                throw error(keyPos, "an attribute key (" + ATTRIBUTE_LIST + ")", "'" + key + "'",
                        parts.size() == 1 ? " Prefix metric, param and tag keys, e.g. metrics." + key + "." : "");
            }
            key = resolved;
        } else if (type == EntityType.DATASET) {
            if (forOrder) {
                throw error(parts.get(0).position(), "metrics, params, tags or attributes (datasets cannot be ordered by)",
                        "'" + parts.get(0).text() + "'", "");
            }
            if (!DATASET_FIELDS.contains(key)) {
                throw error(keyPos, "a dataset field (name, digest, context)", "'" + key + "'", "");
            }
        }
        return new Key(type, key);
    }

    private static String attribute(String key) {
        if (STRING_ATTRIBUTES.contains(key) || TIME_ATTRIBUTES.contains(key)) {
            return key;
        }
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.equals("created")) {
            return "start_time";
        }
        if (lower.equals("run name")) {
            return "run_name";
        }
        return null;
    }

    /** Consumes the next token; the token after it is not read yet. */
    private Token next() {
        Token t = peek();
        if (t.kind() != Kind.EOF) {
            current = null;
        }
        return t;
    }

    /** Reads the next token without consuming it. */
    private Token peek() {
        if (current == null) {
            current = lexer.next();
        }
        return current;
    }

    private InvalidFilterException error(int at, String expected, String found, String hint) {
        return FilterLexer.error(input, what, at, expected, found, hint);
    }
}
