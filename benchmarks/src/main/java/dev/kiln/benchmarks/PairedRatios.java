package dev.kiln.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The ratios of an arm to its baseline, pair by pair, where each pair was measured back to back so
 * that a machine drifting over minutes weighs on both alike; summarised by the median, which one
 * disturbed pair cannot move much.
 */
final class PairedRatios {
    private final boolean higherIsBetter;
    private final List<double[]> pairs = new ArrayList<>();

    /**
     * @param higherIsBetter whether scores are rates (the ratio is then baseline over arm, so that
     *     above 1 always means the arm is slower)
     */
    PairedRatios(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    /**
     * Adds one pair.
     *
     * @param arm the arm's score
     * @param baseline the baseline's score from the same pair
     * @return this pair's ratio
     * @throws IllegalArgumentException if a score is not a positive number
     */
    double add(double arm, double baseline) {
        if (!(arm > 0) || !(baseline > 0)) {
            throw new IllegalArgumentException("Scores must be positive numbers to compare, got arm " + arm + " and baseline " + baseline);
        }
        pairs.add(new double[] {arm, baseline});
        return ratio(pairs.size() - 1);
    }

    /** How much slower the arm was in pair {@code i}: arm time over baseline time, or baseline rate over arm rate. */
    double ratio(int i) {
        double[] pair = pairs.get(i);
        return higherIsBetter ? pair[1] / pair[0] : pair[0] / pair[1];
    }

    boolean higherIsBetter() {
        return higherIsBetter;
    }

    int size() {
        return pairs.size();
    }

    /** The middle ratio (the mean of the two middle ones for an even count), or NaN with no pairs. */
    double median() {
        double[] sorted = sortedRatios();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    double min() {
        double[] sorted = sortedRatios();
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    double max() {
        double[] sorted = sortedRatios();
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    private double[] sortedRatios() {
        double[] ratios = new double[pairs.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = ratio(i);
        }
        java.util.Arrays.sort(ratios);
        return ratios;
    }
}
