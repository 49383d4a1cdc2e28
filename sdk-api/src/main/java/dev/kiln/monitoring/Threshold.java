package dev.kiln.monitoring;

/**
 * A bound on one statistic: a value above {@code max} or below {@code min} raises an alert.
 *
 * @param feature the feature it applies to, or null for every feature
 * @param statistic the statistic name (psi, ks, ks_pvalue, js, null_rate, mean, auc, logloss, rmse, ...)
 * @param min lower bound (NaN for none)
 * @param max upper bound (NaN for none)
 */
public record Threshold(String feature, String statistic, double min, double max) {

    /**
     * An upper bound for every feature.
     *
     * @param statistic the statistic
     * @param max the largest allowed value
     * @return the threshold
     */
    public static Threshold above(String statistic, double max) {
        return new Threshold(null, statistic, Double.NaN, max);
    }

    /**
     * A lower bound for every feature.
     *
     * @param statistic the statistic
     * @param min the smallest allowed value
     * @return the threshold
     */
    public static Threshold below(String statistic, double min) {
        return new Threshold(null, statistic, min, Double.NaN);
    }

    /**
     * Restricts the threshold to one feature.
     *
     * @param name the feature
     * @return a copy for that feature only
     */
    public Threshold forFeature(String name) {
        return new Threshold(name, statistic, min, max);
    }

    /**
     * Tells whether the threshold covers a feature's statistic.
     *
     * @param f the feature
     * @param s the statistic
     * @return true if it applies
     */
    public boolean applies(String f, String s) {
        return statistic.equals(s) && (feature == null || feature.equals(f));
    }

    /**
     * Tells whether a value crosses the bounds (NaN never does).
     *
     * @param value the value
     * @return true if it is above max or below min
     */
    public boolean breached(double value) {
        return !Double.isNaN(value) && ((!Double.isNaN(max) && value > max) || (!Double.isNaN(min) && value < min));
    }
}
