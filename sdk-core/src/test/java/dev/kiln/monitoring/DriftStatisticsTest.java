package dev.kiln.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftStatisticsTest {

    private static double[] normal(long seed, int n, double mean, double sd) {
        Random r = new Random(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = mean + sd * r.nextGaussian();
        }
        return out;
    }

    /** KS by brute force: the largest CDF gap over every observed value as a threshold. */
    private static double bruteKs(double[] a, double[] b) {
        double d = 0;
        for (double[] side : new double[][] {a, b}) {
            for (double t : side) {
                double fa = Arrays.stream(a).filter(v -> v <= t).count() / (double) a.length;
                double fb = Arrays.stream(b).filter(v -> v <= t).count() / (double) b.length;
                d = Math.max(d, Math.abs(fa - fb));
            }
        }
        return d;
    }

    @Test
    void ksMatchesBruteForceIncludingTies() {
        Random r = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            double[] a = new double[5 + r.nextInt(40)];
            double[] b = new double[5 + r.nextInt(40)];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextInt(10); // many ties
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextInt(12) - 1;
            }
            assertThat(DriftStatistics.ks(a, b).statistic()).isCloseTo(bruteKs(a, b), within(1e-12));
        }
    }

    @Test
    void kolmogorovSurvivalMatchesTabulatedCriticalValues() {
        // Classic table: P(K > 1.2238) = 0.10, P(K > 1.3581) = 0.05, P(K > 1.6276) = 0.01.
        assertThat(DriftStatistics.kolmogorovSurvival(1.2238)).isCloseTo(0.10, within(5e-4));
        assertThat(DriftStatistics.kolmogorovSurvival(1.3581)).isCloseTo(0.05, within(5e-4));
        assertThat(DriftStatistics.kolmogorovSurvival(1.6276)).isCloseTo(0.01, within(5e-4));
    }

    @Test
    void psiByHandOnTinyExample() {
        // Baseline 1,2,3,4 in 2 bins: edge at the median 2.5 -> 50% / 50%; current 1,1,1,4 -> 75% / 25%.
        double expected = 0.25 * Math.log(0.75 / 0.5) + (-0.25) * Math.log(0.25 / 0.5);
        assertThat(DriftStatistics.psi(new double[] {1, 2, 3, 4}, new double[] {1, 1, 1, 4}, 2))
                .isCloseTo(expected, within(1e-12));
        // An empty current bin uses epsilon instead of log(0).
        double eps = DriftStatistics.EPSILON;
        double withEmpty = (1 - 0.5) * Math.log(1 / 0.5) + (eps - 0.5) * Math.log(eps / 0.5);
        assertThat(DriftStatistics.psi(new double[] {1, 2, 3, 4}, new double[] {1, 2, 2, 1}, 2))
                .isCloseTo(withEmpty, within(1e-12));
    }

    @Test
    void jensenShannonAgainstEntropyFormula() {
        // JSD = H(M) - (H(P) + H(Q)) / 2 in bits, a different formula from the one in the code.
        double[] p = {0.1, 0.4, 0.5};
        double[] q = {0.3, 0.3, 0.4};
        double[] m = {0.2, 0.35, 0.45};
        double jsd = entropy2(m) - (entropy2(p) + entropy2(q)) / 2;
        assertThat(DriftStatistics.jensenShannon(p, q)).isCloseTo(Math.sqrt(jsd), within(1e-12));
        assertThat(DriftStatistics.jensenShannon(p, p)).isZero();
        assertThat(DriftStatistics.jensenShannon(new double[] {1, 0}, new double[] {0, 1})).isCloseTo(1, within(1e-12));
    }

    private static double entropy2(double[] d) {
        double h = 0;
        for (double v : d) {
            if (v > 0) {
                h -= v * Math.log(v) / Math.log(2);
            }
        }
        return h;
    }

    @Test
    void shiftedNormalIsDetectedAndSameDistributionIsNot() {
        double[] baseline = normal(1, 5000, 0, 1);
        double[] same = normal(2, 2000, 0, 1);
        double[] shifted = normal(3, 2000, 0.5, 1);

        Map<String, Double> quiet = DriftStatistics.numericDrift(baseline, same, 10);
        assertThat(quiet.get("psi")).isLessThan(0.02);
        assertThat(quiet.get("ks_pvalue")).isGreaterThan(0.05);
        assertThat(quiet.get("js")).isLessThan(0.05);

        Map<String, Double> loud = DriftStatistics.numericDrift(baseline, shifted, 10);
        assertThat(loud.get("psi")).isGreaterThan(0.2);
        assertThat(loud.get("ks")).isCloseTo(0.197, within(0.03)); // Phi(0.25) - Phi(-0.25)
        assertThat(loud.get("ks_pvalue")).isLessThan(1e-6);
        assertThat(loud.get("js")).isGreaterThan(0.1);
        assertThat(loud.get("mean")).isCloseTo(0.5, within(0.05));
        assertThat(loud.get("stddev")).isCloseTo(1, within(0.05));
    }

    @Test
    void emptyWindowHasNoDriftValueInsteadOfAHugeOne() {
        double[] baseline = normal(1, 100, 0, 1);
        Map<String, Double> empty = DriftStatistics.numericDrift(baseline, new double[] {Double.NaN}, 10);
        assertThat(empty.get("psi")).isNaN();
        assertThat(empty.get("ks")).isNaN();
        assertThat(empty.get("js")).isNaN();
        assertThat(empty.get("null_rate")).isEqualTo(1.0);
        assertThat(DriftStatistics.categoricalDrift(List.of("a"), List.of()).get("psi")).isNaN();
    }

    @Test
    void summaryMatchesTwoPassComputation() {
        double[] v = {3, Double.NaN, 1, 4, 1, 5, 9, 2, 6, Double.NaN};
        DriftStatistics.NumericSummary s = DriftStatistics.summarize(v);
        double[] x = {3, 1, 4, 1, 5, 9, 2, 6};
        double mean = 31.0 / 8;
        double ss = 0;
        for (double d : x) {
            ss += (d - mean) * (d - mean);
        }
        assertThat(s.count()).isEqualTo(10);
        assertThat(s.nullRate()).isEqualTo(0.2);
        assertThat(s.mean()).isCloseTo(mean, within(1e-12));
        assertThat(s.stddev()).isCloseTo(Math.sqrt(ss / 7), within(1e-12));
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(9);
        assertThat(s.quantiles()[5]).isEqualTo(3.5); // median of 1 1 2 3 4 5 6 9
    }

    @Test
    void categoricalFrequenciesAndDrift() {
        List<String> base = new ArrayList<>();
        List<String> same = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            base.add(i < 50 ? "a" : i < 80 ? "b" : "c");
            same.add(i < 50 ? "a" : i < 80 ? "b" : "c");
            moved.add(i < 10 ? "a" : i < 20 ? null : "d");
        }
        assertThat(DriftStatistics.frequencies(base)).containsExactly(Map.entry("a", 50L), Map.entry("b", 30L),
                Map.entry("c", 20L));
        Map<String, Double> quiet = DriftStatistics.categoricalDrift(base, same);
        assertThat(quiet.get("psi")).isZero();
        assertThat(quiet.get("js")).isZero();
        Map<String, Double> loud = DriftStatistics.categoricalDrift(base, moved);
        assertThat(loud.get("null_rate")).isEqualTo(0.1);
        assertThat(loud.get("freq:d")).isCloseTo(80 / 90.0, within(1e-12));
        assertThat(loud.get("psi")).isGreaterThan(1);
        assertThat(loud.get("js")).isGreaterThan(0.5);
    }

    @Test
    void aucMatchesAllPairsCount() {
        Random r = new Random(11);
        double[] labels = new double[300];
        double[] scores = new double[300];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(2);
            scores[i] = Math.round((labels[i] * 0.3 + r.nextDouble()) * 20) / 20.0; // ties
        }
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < labels.length; j++) {
                if (labels[i] == 1 && labels[j] == 0) {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        assertThat(DriftStatistics.auc(labels, scores)).isCloseTo(wins / pairs, within(1e-12));
        assertThat(DriftStatistics.auc(new double[] {0, 0}, new double[] {0.1, 0.2})).isNaN();
    }

    @Test
    void loglossAndRmseByHand() {
        double[] y = {1, 0, 1, Double.NaN};
        double[] p = {0.9, 0.2, 0.6, 0.5};
        double ll = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.6)) / 3;
        assertThat(DriftStatistics.logloss(y, p)).isCloseTo(ll, within(1e-12));
        assertThat(DriftStatistics.rmse(new double[] {1, 2, 3}, new double[] {1, 4, 3}))
                .isCloseTo(Math.sqrt(4 / 3.0), within(1e-12));
    }
}
