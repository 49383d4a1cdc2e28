package dev.kiln.experiments;

import java.util.EnumSet;
import java.util.Set;

/** A comparison operator of the filter grammar. */
public enum CompareOp {
    /** {@code =}. */
    EQ("="),
    /** {@code !=}. */
    NE("!="),
    /** {@code <}. */
    LT("<"),
    /** {@code <=}. */
    LE("<="),
    /** {@code >}. */
    GT(">"),
    /** {@code >=}. */
    GE(">="),
    /** {@code LIKE}: case-sensitive whole-string pattern match. */
    LIKE("LIKE"),
    /** {@code ILIKE}: case-insensitive whole-string pattern match. */
    ILIKE("ILIKE"),
    /** {@code IN (...)}. */
    IN("IN"),
    /** {@code NOT IN (...)}. */
    NOT_IN("NOT IN"),
    /** {@code IS NULL}: the param or tag is absent. */
    IS_NULL("IS NULL"),
    /** {@code IS NOT NULL}: the param or tag is present. */
    IS_NOT_NULL("IS NOT NULL");

    /** The operators for numbers: metrics and time attributes. */
    public static final Set<CompareOp> NUMERIC = EnumSet.of(EQ, NE, LT, LE, GT, GE);
    /** The operators for string attributes other than {@code run_id}. */
    public static final Set<CompareOp> STRING = EnumSet.of(EQ, NE, LIKE, ILIKE);
    /** The operators for params and tags. */
    public static final Set<CompareOp> STRING_OR_NULL = EnumSet.of(EQ, NE, LIKE, ILIKE, IS_NULL, IS_NOT_NULL);
    /** The operators for {@code run_id} and dataset fields. */
    public static final Set<CompareOp> STRING_OR_LIST = EnumSet.of(EQ, NE, LIKE, ILIKE, IN, NOT_IN);

    private final String symbol;

    CompareOp(String symbol) {
        this.symbol = symbol;
    }

    /**
     * Returns the operator as written in a filter.
     *
     * @return e.g. {@code >=} or {@code NOT IN}
     */
    public String symbol() {
        return symbol;
    }

    /**
     * Lists operators for a message.
     *
     * @param ops the operators
     * @return e.g. {@code =, !=, LIKE, ILIKE}
     */
    static String describe(Set<CompareOp> ops) {
        StringBuilder sb = new StringBuilder();
        for (CompareOp op : ops) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(op.symbol);
        }
        return sb.toString();
    }
}
