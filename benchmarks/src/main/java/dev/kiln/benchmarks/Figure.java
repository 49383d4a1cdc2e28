package dev.kiln.benchmarks;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One measured figure of a benchmark run, free of JMH's types so the pairing and the tables can be
 * tested without running JMH.
 *
 * @param benchmark the benchmark class's simple name
 * @param method the benchmark method
 * @param params the {@code @Param} values of this figure
 * @param mode JMH's short mode name: {@code thrpt}, {@code avgt}, {@code sample} or {@code ss}
 * @param score the figure
 * @param error the half-width of JMH's 99.9% interval, or NaN when there were too few iterations
 * @param unit JMH's unit, e.g. {@code ms/op} or {@code ops/s}
 * @param statistic what the score is: {@code mean} or {@code p50}
 */
record Figure(String benchmark, String method, SortedMap<String, String> params, String mode, double score, double error, String unit,
        String statistic) {

    Figure {
        params = new TreeMap<>(params);
    }

    /** Whether a larger score is better (a rate) rather than a smaller one (a time). */
    boolean higherIsBetter() {
        return mode.equals("thrpt");
    }

    /** The params without one of them: what must match between a figure and its baseline. */
    SortedMap<String, String> paramsWithout(String name) {
        SortedMap<String, String> rest = new TreeMap<>(params);
        rest.remove(name);
        return rest;
    }

    static Figure of(String benchmark, String method, Map<String, String> params, String mode, double score, double error, String unit,
            String statistic) {
        return new Figure(benchmark, method, new TreeMap<>(params), mode, score, error, unit, statistic);
    }
}
