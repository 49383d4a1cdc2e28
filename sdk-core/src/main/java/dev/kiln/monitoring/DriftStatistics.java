package dev.kiln.monitoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Pure-Java statistics for data quality, drift and model quality. No storage involved.
 *
 * <p>Numeric inputs are {@code double[]} where {@code NaN} stands for NULL; categorical inputs are
 * lists of strings where {@code null} stands for NULL. NULLs are counted in the null rate and left
 * out of every other statistic.
 */
public final class DriftStatistics {

    /** Probability floor used for empty bins in PSI and for clipping in logloss. */
    public static final double EPSILON = 1e-4;

    /** Default number of quantile bins for PSI and binned Jensen-Shannon. */
    public static final int DEFAULT_BINS = 10;

    private DriftStatistics() {
    }

    /**
     * Summary of a numeric column.
     *
     * @param count rows, NULLs included
     * @param nulls NULL (NaN) rows
     * @param mean mean of the non-null values (NaN when none)
     * @param stddev sample standard deviation (NaN with fewer than two values)
     * @param min smallest value (NaN when none)
     * @param max largest value (NaN when none)
     * @param quantiles values at 0, 0.1, ..., 1.0 (deciles; empty when no values)
     */
    public record NumericSummary(long count, long nulls, double mean, double stddev, double min, double max,
            double[] quantiles) {
        /**
         * Returns the fraction of NULL rows.
         *
         * @return nulls / count, 0 for an empty column
         */
        public double nullRate() {
            return count == 0 ? 0 : (double) nulls / count;
        }
    }

    /**
     * Result of a two-sample Kolmogorov-Smirnov test.
     *
     * @param statistic the largest distance between the two empirical CDFs, in [0, 1]
     * @param pValue the asymptotic p-value of "both samples come from the same distribution"
     */
    public record KsResult(double statistic, double pValue) {
    }

    /**
     * Returns the non-NaN values, sorted.
     *
     * @param values values, NaN for NULL
     * @return a new sorted array without NaN
     */
    public static double[] sortedNonNull(double[] values) {
        double[] out = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        Arrays.sort(out);
        return out;
    }

    /**
     * Summarises a numeric column (Welford's algorithm for mean and variance).
     *
     * @param values values, NaN for NULL
     * @return the summary
     */
    public static NumericSummary summarize(double[] values) {
        long nulls = 0;
        long n = 0;
        double mean = 0;
        double m2 = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isNaN(v)) {
                nulls++;
                continue;
            }
            n++;
            double delta = v - mean;
            mean += delta / n;
            m2 += delta * (v - mean);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double[] sorted = sortedNonNull(values);
        double[] q = new double[sorted.length == 0 ? 0 : 11];
        for (int i = 0; i < q.length; i++) {
            q[i] = quantile(sorted, i / 10.0);
        }
        return new NumericSummary(values.length, nulls, n == 0 ? Double.NaN : mean,
                n < 2 ? Double.NaN : Math.sqrt(m2 / (n - 1)), n == 0 ? Double.NaN : min,
                n == 0 ? Double.NaN : max, q);
    }

    /**
     * Returns a quantile of sorted values by linear interpolation (type 7, as NumPy's default).
     *
     * @param sorted sorted values, no NaN
     * @param p the probability, in [0, 1]
     * @return the quantile, NaN when there are no values
     */
    public static double quantile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * Returns the inner bin edges at the baseline's quantiles 1/bins, ..., (bins-1)/bins, without
     * duplicates. A value x falls in bin i where i is the number of edges {@code <= x}.
     *
     * @param baseline baseline values, NaN for NULL
     * @param bins the wanted number of bins (at least 2)
     * @return strictly increasing inner edges (at most bins - 1 of them)
     */
    public static double[] quantileEdges(double[] baseline, int bins) {
        if (bins < 2) {
            throw new IllegalArgumentException("bins must be at least 2, got " + bins);
        }
        double[] sorted = sortedNonNull(baseline);
        TreeSet<Double> edges = new TreeSet<>();
        for (int i = 1; i < bins; i++) {
            double e = quantile(sorted, (double) i / bins);
            if (!Double.isNaN(e)) {
                edges.add(e);
            }
        }
        return edges.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Returns the fraction of non-null values in each bin defined by inner edges.
     *
     * @param values values, NaN for NULL
     * @param edges strictly increasing inner edges
     * @return edges.length + 1 fractions summing to 1 (all 0 when no values)
     */
    public static double[] binFractions(double[] values, double[] edges) {
        long[] counts = new long[edges.length + 1];
        long n = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                continue;
            }
            int idx = Arrays.binarySearch(edges, v);
            int bin = idx >= 0 ? idx + 1 : -idx - 1; // number of edges <= v
            counts[bin]++;
            n++;
        }
        double[] f = new double[counts.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = n == 0 ? 0 : (double) counts[i] / n;
        }
        return f;
    }

    /**
     * Population stability index of two distributions over the same bins:
     * {@code sum (a - e) * ln(a / e)}, with empty bins raised to {@link #EPSILON}.
     *
     * @param expected baseline fractions
     * @param actual current fractions
     * @return the PSI (0 for identical distributions; above 0.2 is usually called a major shift), NaN
     *     when a side is empty
     */
    public static double psi(double[] expected, double[] actual) {
        if (expected.length != actual.length) {
            throw new IllegalArgumentException("bin counts differ: " + expected.length + " vs " + actual.length);
        }
        if (Arrays.stream(expected).sum() == 0 || Arrays.stream(actual).sum() == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.max(expected[i], EPSILON);
            double a = Math.max(actual[i], EPSILON);
            sum += (a - e) * Math.log(a / e);
        }
        return sum;
    }

    /**
     * PSI of a numeric column, on bins at the baseline's quantiles.
     *
     * @param baseline baseline values, NaN for NULL
     * @param current current values, NaN for NULL
     * @param bins the number of quantile bins
     * @return the PSI
     */
    public static double psi(double[] baseline, double[] current, int bins) {
        double[] edges = quantileEdges(baseline, bins);
        return psi(binFractions(baseline, edges), binFractions(current, edges));
    }

    /**
     * Two-sample Kolmogorov-Smirnov statistic and asymptotic p-value (NULLs ignored).
     *
     * @param a first sample, NaN for NULL
     * @param b second sample, NaN for NULL
     * @return D and its p-value (both NaN when a sample is empty)
     */
    public static KsResult ks(double[] a, double[] b) {
        double[] x = sortedNonNull(a);
        double[] y = sortedNonNull(b);
        int n = x.length;
        int m = y.length;
        if (n == 0 || m == 0) {
            return new KsResult(Double.NaN, Double.NaN);
        }
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < n && j < m) {
            double v = Math.min(x[i], y[j]);
            while (i < n && x[i] == v) {
                i++;
            }
            while (j < m && y[j] == v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / n - (double) j / m));
        }
        double en = Math.sqrt((double) n * m / (n + m));
        return new KsResult(d, kolmogorovSurvival((en + 0.12 + 0.11 / en) * d));
    }

    /**
     * The Kolmogorov distribution's survival function {@code Q(lambda) = 2 sum (-1)^(k-1) exp(-2 k^2 lambda^2)}.
     *
     * @param lambda the scaled statistic
     * @return the probability, in [0, 1]
     */
    static double kolmogorovSurvival(double lambda) {
        if (lambda < 1e-3) {
            return 1;
        }
        double sum = 0;
        double sign = 1;
        for (int k = 1; k <= 100; k++) {
            double term = sign * Math.exp(-2.0 * k * k * lambda * lambda);
            sum += term;
            if (Math.abs(term) < 1e-12) {
                break;
            }
            sign = -sign;
        }
        return Math.max(0, Math.min(1, 2 * sum));
    }

    /**
     * Jensen-Shannon distance (square root of the divergence, log base 2) of two distributions.
     *
     * @param p first distribution (normalised here)
     * @param q second distribution (normalised here)
     * @return the distance, in [0, 1]; NaN when a side is empty
     */
    public static double jensenShannon(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("lengths differ: " + p.length + " vs " + q.length);
        }
        double sp = Arrays.stream(p).sum();
        double sq = Arrays.stream(q).sum();
        if (sp == 0 || sq == 0) {
            return Double.NaN;
        }
        double div = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i] / sp;
            double qi = q[i] / sq;
            double mi = (pi + qi) / 2;
            if (pi > 0) {
                div += 0.5 * pi * Math.log(pi / mi);
            }
            if (qi > 0) {
                div += 0.5 * qi * Math.log(qi / mi);
            }
        }
        return Math.sqrt(Math.max(0, div / Math.log(2)));
    }

    /**
     * Jensen-Shannon distance of a numeric column on bins at the baseline's quantiles.
     *
     * @param baseline baseline values, NaN for NULL
     * @param current current values, NaN for NULL
     * @param bins the number of quantile bins
     * @return the distance, in [0, 1]
     */
    public static double jensenShannon(double[] baseline, double[] current, int bins) {
        double[] edges = quantileEdges(baseline, bins);
        return jensenShannon(binFractions(baseline, edges), binFractions(current, edges));
    }

    /**
     * Counts the categories of a column (NULLs left out).
     *
     * @param values values, null for NULL
     * @return category to count, sorted by category
     */
    public static Map<String, Long> frequencies(List<String> values) {
        Map<String, Long> out = new TreeMap<>();
        for (String v : values) {
            if (v != null) {
                out.merge(v, 1L, Long::sum);
            }
        }
        return out;
    }

    private static double[][] aligned(Map<String, Long> a, Map<String, Long> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        double[][] out = new double[2][keys.size()];
        double ta = a.values().stream().mapToLong(Long::longValue).sum();
        double tb = b.values().stream().mapToLong(Long::longValue).sum();
        int i = 0;
        for (String k : keys) {
            out[0][i] = ta == 0 ? 0 : a.getOrDefault(k, 0L) / ta;
            out[1][i] = tb == 0 ? 0 : b.getOrDefault(k, 0L) / tb;
            i++;
        }
        return out;
    }

    /**
     * PSI of two categorical frequency tables (a category missing on one side counts as EPSILON).
     *
     * @param baseline baseline counts
     * @param current current counts
     * @return the PSI
     */
    public static double psiCategorical(Map<String, Long> baseline, Map<String, Long> current) {
        double[][] f = aligned(baseline, current);
        return psi(f[0], f[1]);
    }

    /**
     * Jensen-Shannon distance of two categorical frequency tables.
     *
     * @param baseline baseline counts
     * @param current current counts
     * @return the distance, in [0, 1]
     */
    public static double jensenShannonCategorical(Map<String, Long> baseline, Map<String, Long> current) {
        double[][] f = aligned(baseline, current);
        return jensenShannon(f[0], f[1]);
    }

    /**
     * Area under the ROC curve (Mann-Whitney U with mid-ranks for ties). Pairs with a NaN are ignored.
     *
     * @param labels 0/1 labels
     * @param scores predicted scores (higher means more likely 1)
     * @return the AUC, NaN when one class is absent
     */
    public static double auc(double[] labels, double[] scores) {
        List<double[]> pairs = pairs(labels, scores);
        pairs.sort((p, q) -> Double.compare(p[1], q[1]));
        int n = pairs.size();
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j < n && pairs.get(j)[1] == pairs.get(i)[1]) {
                j++;
            }
            double midRank = (i + 1 + j) / 2.0; // ranks i+1 .. j
            for (int k = i; k < j; k++) {
                if (pairs.get(k)[0] > 0.5) {
                    rankSumPos += midRank;
                    pos++;
                }
            }
            i = j;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * Mean binary cross-entropy, probabilities clipped to [1e-15, 1 - 1e-15]. Pairs with a NaN are ignored.
     *
     * @param labels 0/1 labels
     * @param probabilities predicted probabilities of 1
     * @return the logloss, NaN when there are no pairs
     */
    public static double logloss(double[] labels, double[] probabilities) {
        List<double[]> pairs = pairs(labels, probabilities);
        if (pairs.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (double[] p : pairs) {
            double prob = Math.min(1 - 1e-15, Math.max(1e-15, p[1]));
            sum -= p[0] * Math.log(prob) + (1 - p[0]) * Math.log(1 - prob);
        }
        return sum / pairs.size();
    }

    /**
     * Root mean squared error. Pairs with a NaN are ignored.
     *
     * @param labels true values
     * @param predictions predicted values
     * @return the RMSE, NaN when there are no pairs
     */
    public static double rmse(double[] labels, double[] predictions) {
        List<double[]> pairs = pairs(labels, predictions);
        if (pairs.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (double[] p : pairs) {
            sum += (p[0] - p[1]) * (p[0] - p[1]);
        }
        return Math.sqrt(sum / pairs.size());
    }

    private static List<double[]> pairs(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        List<double[]> out = new ArrayList<>(a.length);
        for (int i = 0; i < a.length; i++) {
            if (!Double.isNaN(a[i]) && !Double.isNaN(b[i])) {
                out.add(new double[] {a[i], b[i]});
            }
        }
        return out;
    }

    /**
     * Computes every drift statistic of a numeric feature against its baseline.
     *
     * @param baseline baseline values, NaN for NULL
     * @param current current values, NaN for NULL
     * @param bins quantile bins for PSI and JS
     * @return statistic name to value: null_rate, mean, stddev, min, max, psi, ks, ks_pvalue, js
     */
    public static Map<String, Double> numericDrift(double[] baseline, double[] current, int bins) {
        NumericSummary s = summarize(current);
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        out.put("count", (double) s.count());
        out.put("null_rate", s.nullRate());
        out.put("mean", s.mean());
        out.put("stddev", s.stddev());
        out.put("min", s.min());
        out.put("max", s.max());
        double[] edges = quantileEdges(baseline, bins);
        double[] fb = binFractions(baseline, edges);
        double[] fc = binFractions(current, edges);
        out.put("psi", psi(fb, fc));
        KsResult ks = ks(baseline, current);
        out.put("ks", ks.statistic());
        out.put("ks_pvalue", ks.pValue());
        out.put("js", jensenShannon(fb, fc));
        return out;
    }

    /**
     * Computes every drift statistic of a categorical feature against its baseline.
     *
     * @param baseline baseline values, null for NULL
     * @param current current values, null for NULL
     * @return statistic name to value: count, null_rate, distinct, psi, js, and freq:CATEGORY per category
     */
    public static Map<String, Double> categoricalDrift(List<String> baseline, List<String> current) {
        Map<String, Long> fb = frequencies(baseline);
        Map<String, Long> fc = frequencies(current);
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        long nulls = current.stream().filter(v -> v == null).count();
        out.put("count", (double) current.size());
        out.put("null_rate", current.isEmpty() ? 0 : (double) nulls / current.size());
        out.put("distinct", (double) fc.size());
        out.put("psi", psiCategorical(fb, fc));
        out.put("js", jensenShannonCategorical(fb, fc));
        long total = current.size() - nulls;
        Map<String, Double> freq = new HashMap<>();
        fc.forEach((k, v) -> freq.put(k, total == 0 ? 0 : (double) v / total));
        new TreeMap<>(freq).forEach((k, v) -> out.put("freq:" + k, v));
        return out;
    }
}
