package dev.kiln.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a monitor compares: a window of a target table against a baseline table version.
 *
 * <p>The target may also be a model URI ({@code models:/NAME/VERSION}, {@code models:/NAME@ALIAS} or
 * {@code models:/NAME}): the monitor then reads the model's inference table {@code inference.NAME}
 * (only the rows of that version, unless the URI names no version) and, when no baseline is given,
 * compares it against the table version the model version was trained on.
 *
 * @param target the monitored table, {@code schema.table[@VERSION]} (an inference table or any table),
 *     or a {@code models:/} URI
 * @param baseline the baseline, {@code schema.table[@VERSION]} (a training set, for example), or null
 *     for a model target's training data
 * @param timeColumn the target's event-time column for windowing, or null for the whole table
 * @param window the window length ending at {@code windowEnd}, or null for the whole table
 * @param windowEnd end of the window (exclusive), or null for now
 * @param features features to compare, or empty for every column both tables share
 * @param predictionColumn the target's prediction column (its distribution is always reported)
 * @param labelColumn the target's label column; when filled, AUC/logloss (0/1 labels) or RMSE are computed
 * @param bins quantile bins for PSI and Jensen-Shannon
 * @param thresholds bounds that raise alerts
 * @param metricsTable the table results are appended to, or null to write nothing
 * @param filter a SQL condition on the target's rows (for example {@code model_version = 3}), or null
 */
public record MonitorSpec(String target, String baseline, String timeColumn, Duration window, Instant windowEnd,
        List<String> features, String predictionColumn, String labelColumn, int bins, List<Threshold> thresholds,
        String metricsTable, String filter) {

    /** The default metrics table. */
    public static final String DEFAULT_METRICS_TABLE = "monitoring.metrics";

    /** Default thresholds: PSI above 0.2 and Jensen-Shannon distance above 0.2. */
    public static final List<Threshold> DEFAULT_THRESHOLDS = List.of(Threshold.above("psi", 0.2),
            Threshold.above("js", 0.2));

    /**
     * Validates and copies.
     *
     * @param target the monitored table or model URI
     * @param baseline the baseline table, or null for a model target's training data
     * @param timeColumn the event-time column, or null
     * @param window the window length, or null
     * @param windowEnd the window end, or null for now
     * @param features the features, or empty for all shared columns
     * @param predictionColumn the prediction column, or null
     * @param labelColumn the label column, or null
     * @param bins the quantile bins, at least 2
     * @param thresholds the thresholds
     * @param metricsTable the metrics table, or null
     * @param filter a SQL condition on the target, or null
     */
    public MonitorSpec {
        Objects.requireNonNull(target, "target");
        features = List.copyOf(features);
        thresholds = List.copyOf(thresholds);
        if (bins < 2) {
            throw new IllegalArgumentException("bins must be at least 2");
        }
    }

    /**
     * Starts a spec with the defaults: column {@code ts}, whole table, prediction column
     * {@code prediction}, label column {@code label}, 10 bins, default thresholds, metrics to
     * {@code monitoring.metrics}.
     *
     * @param target the monitored table
     * @param baseline the baseline table
     * @return a builder
     */
    public static Builder builder(String target, String baseline) {
        return new Builder(target, baseline);
    }

    /**
     * Starts a spec for a model URI whose baseline is the data its version was trained on (see the
     * class comment), with the defaults of {@link #builder(String, String)}.
     *
     * @param modelUri {@code models:/NAME/VERSION}, {@code models:/NAME@ALIAS} or {@code models:/NAME}
     * @return a builder
     */
    public static Builder builder(String modelUri) {
        return new Builder(modelUri, null);
    }

    /** Builds a {@link MonitorSpec}. */
    public static final class Builder {
        private final String target;
        private final String baseline;
        private String timeColumn = "ts";
        private Duration window;
        private Instant windowEnd;
        private final List<String> features = new ArrayList<>();
        private String predictionColumn = "prediction";
        private String labelColumn = "label";
        private int bins = 10;
        private final List<Threshold> thresholds = new ArrayList<>(DEFAULT_THRESHOLDS);
        private String metricsTable = DEFAULT_METRICS_TABLE;
        private String filter;

        private Builder(String target, String baseline) {
            this.target = target;
            this.baseline = baseline;
        }

        /**
         * Sets the window.
         *
         * @param timeColumn the event-time column
         * @param length the window length
         * @param end the window end (exclusive), or null for now
         * @return this builder
         */
        public Builder window(String timeColumn, Duration length, Instant end) {
            this.timeColumn = timeColumn;
            this.window = length;
            this.windowEnd = end;
            return this;
        }

        /**
         * Restricts the features compared.
         *
         * @param names feature names
         * @return this builder
         */
        public Builder features(String... names) {
            features.addAll(List.of(names));
            return this;
        }

        /**
         * Sets the prediction and label columns (either may be null).
         *
         * @param prediction the prediction column
         * @param label the label column
         * @return this builder
         */
        public Builder columns(String prediction, String label) {
            this.predictionColumn = prediction;
            this.labelColumn = label;
            return this;
        }

        /**
         * Sets the number of quantile bins.
         *
         * @param n bins, at least 2
         * @return this builder
         */
        public Builder bins(int n) {
            this.bins = n;
            return this;
        }

        /**
         * Adds a threshold.
         *
         * @param threshold the threshold
         * @return this builder
         */
        public Builder threshold(Threshold threshold) {
            thresholds.add(threshold);
            return this;
        }

        /**
         * Removes every threshold, the defaults included.
         *
         * @return this builder
         */
        public Builder clearThresholds() {
            thresholds.clear();
            return this;
        }

        /**
         * Sets the metrics table (null to write nothing).
         *
         * @param name {@code schema.table}
         * @return this builder
         */
        public Builder metricsTable(String name) {
            this.metricsTable = name;
            return this;
        }

        /**
         * Keeps only the target rows matching a SQL condition.
         *
         * @param condition for example {@code model_version = 3}, or null for every row
         * @return this builder
         */
        public Builder filter(String condition) {
            this.filter = condition;
            return this;
        }

        /**
         * Builds the spec.
         *
         * @return the spec
         */
        public MonitorSpec build() {
            return new MonitorSpec(target, baseline, timeColumn, window, windowEnd, features, predictionColumn,
                    labelColumn, bins, thresholds, metricsTable, filter);
        }
    }
}
