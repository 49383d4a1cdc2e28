package dev.kiln.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * SQL {@code LIKE} matching: {@code %} matches any run of characters (also none), {@code _}
 * exactly one, the pattern must match the whole string, and a backslash makes the next character
 * literal ({@code \%}, {@code \_}, {@code \\}). {@code ILIKE} ignores case. Common shapes
 * ({@code abc}, {@code abc%}, {@code %abc}, {@code %abc%}) avoid regular expressions.
 */
public final class LikePattern {

    private enum Shape { EXACT, PREFIX, SUFFIX, CONTAINS, ANY, REGEX }

    private static final Object PERCENT = new Object();
    private static final Object UNDERSCORE = new Object();

    private final Shape shape;
    private final String literal;
    private final Pattern regex;
    private final boolean ignoreCase;

    private LikePattern(Shape shape, String literal, Pattern regex, boolean ignoreCase) {
        this.shape = shape;
        this.literal = literal;
        this.regex = regex;
        this.ignoreCase = ignoreCase;
    }

    /**
     * Compiles a pattern.
     *
     * @param pattern the LIKE pattern
     * @param ignoreCase true for ILIKE
     * @return the matcher
     */
    public static LikePattern compile(String pattern, boolean ignoreCase) {
        List<Object> segments = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                c = pattern.charAt(++i);
                lit.append(c);
                re.append(Pattern.quote(String.valueOf(c)));
            } else if (c == '%' || c == '_') {
                if (lit.length() > 0) {
                    segments.add(lit.toString());
                    lit.setLength(0);
                }
                Object wildcard = c == '%' ? PERCENT : UNDERSCORE;
                if (!(wildcard == PERCENT && !segments.isEmpty() && segments.get(segments.size() - 1) == PERCENT)) {
                    segments.add(wildcard);
                }
                re.append(c == '%' ? ".*" : ".");
            } else {
                lit.append(c);
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (lit.length() > 0) {
            segments.add(lit.toString());
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        Pattern compiled = Pattern.compile(re.toString(), flags);
        Shape shape = shapeOf(segments);
        String literal = "";
        for (Object s : segments) {
            if (s instanceof String str) {
                literal = str;
            }
        }
        if (shape == Shape.REGEX || ignoreCase && !isAscii(literal)) {
            return new LikePattern(Shape.REGEX, literal, compiled, ignoreCase);
        }
        return new LikePattern(shape, ignoreCase ? literal.toLowerCase(Locale.ROOT) : literal, compiled, ignoreCase);
    }

    private static Shape shapeOf(List<Object> s) {
        if (s.isEmpty()) {
            return Shape.EXACT;
        }
        if (s.contains(UNDERSCORE)) {
            return Shape.REGEX;
        }
        return switch (s.size()) {
            case 1 -> s.get(0) == PERCENT ? Shape.ANY : Shape.EXACT;
            case 2 -> s.get(0) == PERCENT ? Shape.SUFFIX : Shape.PREFIX;
            case 3 -> s.get(0) == PERCENT && s.get(2) == PERCENT ? Shape.CONTAINS : Shape.REGEX;
            default -> Shape.REGEX;
        };
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    /**
     * Tells whether the whole value matches.
     *
     * @param value the value
     * @return true on a match
     */
    public boolean matches(String value) {
        if (shape == Shape.ANY) {
            return true;
        }
        if (shape == Shape.REGEX || ignoreCase && !isAscii(value)) {
            return regex.matcher(value).matches();
        }
        String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        return switch (shape) {
            case EXACT -> v.equals(literal);
            case PREFIX -> v.startsWith(literal);
            case SUFFIX -> v.endsWith(literal);
            case CONTAINS -> v.contains(literal);
            default -> throw new IllegalStateException(shape.name());
        };
    }
}
