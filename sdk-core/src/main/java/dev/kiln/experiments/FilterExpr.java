package dev.kiln.experiments;

import java.util.List;

/**
 * The syntax tree of a search filter. MLflow filters are an {@link And} of {@link Comparison}s;
 * Kiln's extension adds {@link Or} and grouping.
 */
public sealed interface FilterExpr permits FilterExpr.MatchAll, FilterExpr.And, FilterExpr.Or, FilterExpr.Comparison {

    /** The empty filter: every run matches. */
    record MatchAll() implements FilterExpr {
    }

    /**
     * All of the terms hold.
     *
     * @param terms two or more terms
     */
    record And(List<FilterExpr> terms) implements FilterExpr {
        /**
         * Copies the terms.
         *
         * @param terms the terms
         */
        public And {
            terms = List.copyOf(terms);
        }
    }

    /**
     * Any of the terms holds.
     *
     * @param terms two or more terms
     */
    record Or(List<FilterExpr> terms) implements FilterExpr {
        /**
         * Copies the terms.
         *
         * @param terms the terms
         */
        public Or {
            terms = List.copyOf(terms);
        }
    }

    /**
     * One clause {@code <type>.<key> <op> <value>}. A run lacking the key never matches, whatever
     * the operator, except {@code IS NULL} (as in MLflow).
     *
     * @param type the entity type
     * @param key the key, unquoted, with attribute aliases resolved ({@code created} is
     *     {@code start_time}, {@code Run name} is {@code run_name})
     * @param op the operator
     * @param value the literal
     * @param position where the clause starts in the filter text
     */
    record Comparison(EntityType type, String key, CompareOp op, Literal value, int position) implements FilterExpr {
    }

    /** A literal on the right of a comparison. */
    sealed interface Literal permits NumberLiteral, StringLiteral, ListLiteral, NoLiteral {
    }

    /** No value: the operator is {@code IS NULL} or {@code IS NOT NULL}. */
    record NoLiteral() implements Literal {
    }

    /**
     * A number.
     *
     * @param value its value
     * @param text as written
     */
    record NumberLiteral(double value, String text) implements Literal {
    }

    /**
     * A quoted string, unquoted.
     *
     * @param value its value
     */
    record StringLiteral(String value) implements Literal {
    }

    /**
     * A parenthesised list of strings, for {@code IN}.
     *
     * @param values the strings
     */
    record ListLiteral(List<String> values) implements Literal {
        /**
         * Copies the values.
         *
         * @param values the values
         */
        public ListLiteral {
            values = List.copyOf(values);
        }
    }
}
