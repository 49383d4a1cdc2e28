package dev.kiln.predict;

import dev.kiln.InvalidArgumentException;

/**
 * How a {@link Predictor} scores: the value that stands for "missing", whether outputs are raw
 * margins, which boosting rounds are used, and how many threads batch scoring may use.
 *
 * <p>Build one with {@link #builder()}; {@link #defaults()} gives NaN as missing, transformed
 * outputs, every round, and one thread.
 *
 * @param missing the input value treated as missing besides NaN (NaN when only NaN is missing)
 * @param outputMargin true to return raw margins from {@code predict} instead of transformed outputs
 * @param iterationBegin the first boosting round used (inclusive)
 * @param iterationEnd the round after the last one used, or 0 for "up to the last round"
 * @param useBestIteration true to score with rounds {@code [0, best_iteration]} when the model
 *     records a {@code best_iteration} (ignored when an explicit iteration range is set)
 * @param threads the number of threads batch scoring may use; 0 means all available processors
 */
public record PredictorOptions(float missing, boolean outputMargin, int iterationBegin, int iterationEnd,
        boolean useBestIteration, int threads) {

    private static final PredictorOptions DEFAULTS = new PredictorOptions(Float.NaN, false, 0, 0, false, 1);

    /**
     * Validates the options.
     *
     * @param missing the input value treated as missing besides NaN
     * @param outputMargin true to return raw margins
     * @param iterationBegin the first boosting round used
     * @param iterationEnd the round after the last one used, or 0 for all
     * @param useBestIteration true to use the model's best iteration
     * @param threads batch threads, 0 for all processors
     * @throws InvalidArgumentException if a round or thread count is negative or the range is empty
     */
    public PredictorOptions {
        if (iterationBegin < 0 || iterationEnd < 0 || (iterationEnd != 0 && iterationEnd <= iterationBegin)) {
            throw new InvalidArgumentException("Invalid iteration range [" + iterationBegin + ", " + iterationEnd
                    + "): use 0 <= begin < end, or end = 0 for all rounds.");
        }
        if (threads < 0) {
            throw new InvalidArgumentException("threads must be >= 0 (0 = all processors), was " + threads + ".");
        }
    }

    /**
     * Returns the default options.
     *
     * @return NaN as missing, transformed outputs, all rounds, one thread
     */
    public static PredictorOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Starts building options from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /**
     * Starts building options from these ones.
     *
     * @return a new builder holding these options
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Returns the number of threads batch scoring uses, with 0 resolved to the processor count.
     *
     * @return at least 1
     */
    public int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /** Builds {@link PredictorOptions}; not thread-safe. */
    public static final class Builder {
        private float missing;
        private boolean outputMargin;
        private int iterationBegin;
        private int iterationEnd;
        private boolean useBestIteration;
        private int threads;

        private Builder(PredictorOptions from) {
            missing = from.missing;
            outputMargin = from.outputMargin;
            iterationBegin = from.iterationBegin;
            iterationEnd = from.iterationEnd;
            useBestIteration = from.useBestIteration;
            threads = from.threads;
        }

        /**
         * Sets the value treated as missing (NaN is always missing).
         *
         * @param value the missing marker, for example 0 for sparse data or -999
         * @return this builder
         */
        public Builder missing(float value) {
            this.missing = value;
            return this;
        }

        /**
         * Chooses raw margins instead of transformed outputs for {@code predict}.
         *
         * @param margin true for margins
         * @return this builder
         */
        public Builder outputMargin(boolean margin) {
            this.outputMargin = margin;
            return this;
        }

        /**
         * Restricts scoring to boosting rounds {@code [begin, end)}, like XGBoost's iteration_range.
         *
         * @param begin the first round (inclusive)
         * @param end the round after the last one, or 0 for all remaining rounds
         * @return this builder
         */
        public Builder iterationRange(int begin, int end) {
            this.iterationBegin = begin;
            this.iterationEnd = end;
            return this;
        }

        /**
         * Opts in to scoring with the rounds up to the model's {@code best_iteration} attribute
         * (XGBoost itself ignores it at prediction time).
         *
         * @param use true to use the best iteration when the model records one
         * @return this builder
         */
        public Builder useBestIteration(boolean use) {
            this.useBestIteration = use;
            return this;
        }

        /**
         * Sets how many threads batch scoring may use.
         *
         * @param count threads, 0 for all available processors
         * @return this builder
         */
        public Builder threads(int count) {
            this.threads = count;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws InvalidArgumentException if a value is out of range
         */
        public PredictorOptions build() {
            return new PredictorOptions(missing, outputMargin, iterationBegin, iterationEnd, useBestIteration,
                    threads);
        }
    }
}
