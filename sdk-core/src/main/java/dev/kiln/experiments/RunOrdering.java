package dev.kiln.experiments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders run records by order-by keys, then MLflow's default {@code start_time DESC, run_id ASC}.
 * In every direction, values come first, then NaN, then missing values (MLflow's rule).
 */
public final class RunOrdering {

    private RunOrdering() {
    }

    /**
     * Builds the comparator for order-by entries.
     *
     * @param orderBy entries such as {@code metrics.auc DESC}
     * @return the comparator, default order included
     * @throws InvalidFilterException if an entry is malformed
     */
    public static Comparator<RunRecord> of(List<String> orderBy) {
        return of(FilterParser.parseOrderBy(orderBy), true);
    }

    /**
     * Builds the comparator for parsed keys.
     *
     * @param keys the keys, most significant first
     * @param withDefault true to append {@code start_time DESC, run_id ASC}
     * @return the comparator
     */
    public static Comparator<RunRecord> of(List<OrderKey> keys, boolean withDefault) {
        List<OrderKey> all = new ArrayList<>(keys);
        if (withDefault) {
            all.add(OrderKey.START_TIME_DESC);
            all.add(OrderKey.RUN_ID_ASC);
        }
        Comparator<RunRecord> result = null;
        for (OrderKey k : all) {
            Comparator<RunRecord> c = comparator(k);
            result = result == null ? c : result.thenComparing(c);
        }
        return result == null ? (a, b) -> 0 : result;
    }

    private static Comparator<RunRecord> comparator(OrderKey k) {
        boolean asc = k.ascending();
        String key = k.key();
        return switch (k.type()) {
            case METRIC -> (a, b) -> compareDoubles(a.data().metrics().get(key), b.data().metrics().get(key), asc);
            case PARAM -> (a, b) -> compareStrings(a.data().params().get(key), b.data().params().get(key), asc);
            case TAG -> (a, b) -> compareStrings(a.data().tags().get(key), b.data().tags().get(key), asc);
            case ATTRIBUTE -> switch (key) {
                case "start_time" -> (a, b) -> compareLongs(a.info().startTime(), b.info().startTime(), asc);
                case "end_time" -> (a, b) -> compareLongs(a.info().endTime(), b.info().endTime(), asc);
                case "run_id" -> (a, b) -> compareStrings(a.info().runId(), b.info().runId(), asc);
                case "run_name" -> (a, b) -> compareStrings(a.info().runName(), b.info().runName(), asc);
                case "status" -> (a, b) -> compareStrings(a.info().status().name(), b.info().status().name(), asc);
                case "user_id" -> (a, b) -> compareStrings(a.info().userId(), b.info().userId(), asc);
                case "artifact_uri" -> (a, b) -> compareStrings(a.info().artifactUri(), b.info().artifactUri(), asc);
                default -> throw new IllegalArgumentException("Cannot order by attribute " + key);
            };
            case DATASET -> throw new IllegalArgumentException("Cannot order by datasets");
        };
    }

    /**
     * Compares two possibly missing doubles: values in the given direction, then NaN, then missing.
     *
     * @param a the first value or null
     * @param b the second value or null
     * @param asc true for ascending
     * @return negative, zero or positive
     */
    static int compareDoubles(Double a, Double b, boolean asc) {
        int ra = a == null ? 2 : a.isNaN() ? 1 : 0;
        int rb = b == null ? 2 : b.isNaN() ? 1 : 0;
        if (ra != rb || ra != 0) {
            return Integer.compare(ra, rb);
        }
        double x = a;
        double y = b;
        int c = x < y ? -1 : x > y ? 1 : 0;
        return asc ? c : -c;
    }

    private static int compareLongs(Long a, Long b, boolean asc) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        int c = Long.compare(a, b);
        return asc ? c : -c;
    }

    private static int compareStrings(String a, String b, boolean asc) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        int c = a.compareTo(b);
        return asc ? c : -c;
    }
}
