package dev.kiln.benchmarks;

import java.util.SortedMap;

/**
 * A measured figure beside its baseline from the same run.
 *
 * @param benchmark the benchmark class's simple name
 * @param params the params both figures share
 * @param variant what was measured, e.g. {@code impl=kiln} or a method name
 * @param measured the measured figure
 * @param baselineVariant what the baseline is, e.g. {@code impl=xgboost4j}
 * @param baseline the baseline figure, or null when the run produced none
 */
record Comparison(String benchmark, SortedMap<String, String> params, String variant, Figure measured, String baselineVariant,
        Figure baseline) {

    /**
     * How many times faster the measured side is: baseline time / measured time, or measured rate /
     * baseline rate. Above 1 the measured side wins; NaN without a baseline.
     */
    double ratio() {
        if (baseline == null) {
            return Double.NaN;
        }
        if (!measured.unit().equals(baseline.unit()) || !measured.mode().equals(baseline.mode())) {
            throw new IllegalStateException(benchmark + ": " + variant + " is in " + measured.unit() + " (" + measured.mode() + ") but "
                    + baselineVariant + " in " + baseline.unit() + " (" + baseline.mode() + ")");
        }
        return measured.higherIsBetter() ? measured.score() / baseline.score() : baseline.score() / measured.score();
    }
}
