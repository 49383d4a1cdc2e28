package dev.kiln.experiments;

import dev.kiln.experiments.FilterExpr.Comparison;
import dev.kiln.experiments.FilterExpr.ListLiteral;
import dev.kiln.experiments.FilterExpr.NumberLiteral;
import dev.kiln.experiments.FilterExpr.StringLiteral;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A filter compiled once into a predicate over run records. Semantics are MLflow's: a run that
 * lacks the metric, param, tag or end time of a clause does not match it, whatever the operator
 * (but {@code IS NULL});
 * a metric clause compares the latest value as a double (so NaN matches only {@code !=});
 * a dataset clause matches when any dataset input of the run matches.
 */
@FunctionalInterface
public interface RunPredicate {

    /** Matches every run. */
    RunPredicate ALL = r -> true;

    /**
     * Tests a run.
     *
     * @param run the run
     * @return true if it matches
     */
    boolean test(RunRecord run);

    /**
     * Parses and compiles a filter.
     *
     * @param filter MLflow filter text, empty for all runs
     * @return the predicate
     * @throws InvalidFilterException if the filter is malformed
     */
    static RunPredicate compile(String filter) {
        return compile(FilterParser.parse(filter));
    }

    /**
     * Compiles a syntax tree.
     *
     * @param expr the tree
     * @return the predicate
     */
    static RunPredicate compile(FilterExpr expr) {
        if (expr instanceof FilterExpr.MatchAll) {
            return ALL;
        }
        if (expr instanceof FilterExpr.And and) {
            RunPredicate[] terms = and.terms().stream().map(RunPredicate::compile).toArray(RunPredicate[]::new);
            if (terms.length == 2) {
                RunPredicate a = terms[0];
                RunPredicate b = terms[1];
                return r -> a.test(r) && b.test(r);
            }
            return r -> {
                for (RunPredicate t : terms) {
                    if (!t.test(r)) {
                        return false;
                    }
                }
                return true;
            };
        }
        if (expr instanceof FilterExpr.Or or) {
            RunPredicate[] terms = or.terms().stream().map(RunPredicate::compile).toArray(RunPredicate[]::new);
            return r -> {
                for (RunPredicate t : terms) {
                    if (t.test(r)) {
                        return true;
                    }
                }
                return false;
            };
        }
        return Compiler.comparison((Comparison) expr);
    }

    /** Builds the predicate of one clause. */
    final class Compiler {
        private Compiler() {
        }

        static RunPredicate comparison(Comparison c) {
            String key = c.key();
            return switch (c.type()) {
                case METRIC -> metric(key, c.op(), ((NumberLiteral) c.value()).value());
                case PARAM -> {
                    StringTest t = stringTest(c);
                    yield r -> t.test(r.data().params().get(key));
                }
                case TAG -> {
                    StringTest t = stringTest(c);
                    yield r -> t.test(r.data().tags().get(key));
                }
                case ATTRIBUTE -> attribute(c);
                case DATASET -> {
                    StringTest t = stringTest(c);
                    Function<DatasetInput, String> field = switch (key) {
                        case "name" -> DatasetInput::name;
                        case "digest" -> DatasetInput::digest;
                        default -> DatasetInput::context;
                    };
                    yield r -> {
                        for (DatasetInput in : r.inputs()) {
                            if (t.test(field.apply(in))) {
                                return true;
                            }
                        }
                        return false;
                    };
                }
            };
        }

        private static RunPredicate metric(String key, CompareOp op, double x) {
            return switch (op) {
                case EQ -> r -> {
                    Double v = r.data().metrics().get(key);
                    return v != null && v == x;
                };
                case NE -> r -> {
                    Double v = r.data().metrics().get(key);
                    return v != null && v != x;
                };
                case LT -> r -> {
                    Double v = r.data().metrics().get(key);
                    return v != null && v < x;
                };
                case LE -> r -> {
                    Double v = r.data().metrics().get(key);
                    return v != null && v <= x;
                };
                case GT -> r -> {
                    Double v = r.data().metrics().get(key);
                    return v != null && v > x;
                };
                case GE -> r -> {
                    Double v = r.data().metrics().get(key);
                    return v != null && v >= x;
                };
                default -> throw new IllegalArgumentException(op.symbol());
            };
        }

        private static RunPredicate attribute(Comparison c) {
            String key = c.key();
            if (FilterParser.TIME_ATTRIBUTES.contains(key)) {
                double x = ((NumberLiteral) c.value()).value();
                boolean start = key.equals("start_time");
                CompareOp op = c.op();
                return r -> {
                    Long t = start ? Long.valueOf(r.info().startTime()) : r.info().endTime();
                    if (t == null) {
                        return false;
                    }
                    double v = t;
                    return switch (op) {
                        case EQ -> v == x;
                        case NE -> v != x;
                        case LT -> v < x;
                        case LE -> v <= x;
                        case GT -> v > x;
                        case GE -> v >= x;
                        default -> false;
                    };
                };
            }
            StringTest t = stringTest(c);
            return switch (key) {
                case "run_id" -> r -> t.test(r.info().runId());
                case "run_name" -> r -> t.test(r.info().runName());
                case "status" -> r -> t.test(r.info().status().name());
                case "user_id" -> r -> t.test(r.info().userId());
                case "artifact_uri" -> r -> t.test(r.info().artifactUri());
                default -> throw new IllegalArgumentException(key);
            };
        }

        /** A test of a possibly missing string; missing never matches. */
        interface StringTest {
            boolean test(String value);
        }

        static StringTest stringTest(Comparison c) {
            switch (c.op()) {
                case IS_NULL -> {
                    return v -> v == null;
                }
                case IS_NOT_NULL -> {
                    return v -> v != null;
                }
                case IN, NOT_IN -> {
                    List<String> values = ((ListLiteral) c.value()).values();
                    Set<String> set = new HashSet<>(values);
                    boolean in = c.op() == CompareOp.IN;
                    return v -> v != null && set.contains(v) == in;
                }
                default -> {
                }
            }
            String s = ((StringLiteral) c.value()).value();
            return switch (c.op()) {
                case EQ -> v -> v != null && v.equals(s);
                case NE -> v -> v != null && !v.equals(s);
                case LIKE -> {
                    LikePattern p = LikePattern.compile(s, false);
                    yield v -> v != null && p.matches(v);
                }
                case ILIKE -> {
                    LikePattern p = LikePattern.compile(s, true);
                    yield v -> v != null && p.matches(v);
                }
                default -> throw new IllegalArgumentException(c.op().symbol());
            };
        }
    }

}
