package dev.kiln.training;

import dev.kiln.InvalidArgumentException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training job: the data, the booster parameters (XGBoost's names), the number of rounds, early
 * stopping, and which rows are evaluated after every round.
 *
 * @param data the rows
 * @param params booster parameters, e.g. {@code objective}, {@code max_depth}, {@code eta}, {@code seed}
 * @param rounds the maximum number of boosting rounds
 * @param earlyStoppingRounds stop when the evaluation metric has not improved for this many rounds (0: never)
 * @param modelFormat {@code json} or {@code ubj}, the format the model artifact is saved in
 * @param evaluateTrainingSet whether every round's metrics are also computed on the training rows
 *        (logged as {@code train-*}); the held-out rows, when the data has an evaluation split, are
 *        evaluated either way (logged as {@code eval-*})
 */
public record TrainingSpec(TrainingData data, Map<String, Object> params, int rounds, int earlyStoppingRounds, String modelFormat,
        boolean evaluateTrainingSet) {

    /**
     * Checks the spec.
     *
     * @param data the rows
     * @param params the parameters
     * @param rounds the rounds
     * @param earlyStoppingRounds the patience
     * @param modelFormat the artifact format
     * @param evaluateTrainingSet whether the training rows are evaluated every round
     * @throws InvalidArgumentException if rounds is not positive, the patience negative, the format unknown, or
     *         early stopping is asked for with no rows evaluated (no evaluation split and no training-set evaluation)
     */
    public TrainingSpec {
        if (data == null) {
            throw new InvalidArgumentException("A training spec needs data: TrainingSpec.builder(TrainingData.table(..)...).");
        }
        if (rounds < 1) {
            throw new InvalidArgumentException("rounds must be at least 1, not " + rounds + ".");
        }
        if (earlyStoppingRounds < 0) {
            throw new InvalidArgumentException("earlyStoppingRounds must not be negative.");
        }
        if (!"json".equals(modelFormat) && !"ubj".equals(modelFormat)) {
            throw new InvalidArgumentException("modelFormat is json or ubj, not '" + modelFormat + "'.");
        }
        if (earlyStoppingRounds > 0 && !evaluatesRows(data, evaluateTrainingSet)) {
            throw new InvalidArgumentException("Early stopping needs a metric evaluated every round, but this spec evaluates no rows: "
                    + "hold rows out with TrainingData...evalFraction(..) or keep evaluateTrainingSet(true).");
        }
        params = Map.copyOf(params);
    }

    /**
     * Whether any rows are evaluated after every round: the training rows, or an evaluation split.
     * Early stopping and a hyper-parameter search need them, to have a metric to judge by.
     *
     * @return false when the spec neither evaluates the training rows nor holds any rows out
     */
    public boolean evaluatesRows() {
        return evaluatesRows(data, evaluateTrainingSet);
    }

    private static boolean evaluatesRows(TrainingData data, boolean evaluateTrainingSet) {
        return evaluateTrainingSet || data.evalFraction() > 0;
    }

    /**
     * A spec that evaluates the training rows every round, as specs did before that became a choice.
     *
     * @param data the rows
     * @param params the parameters
     * @param rounds the rounds
     * @param earlyStoppingRounds the patience
     * @param modelFormat the artifact format
     * @throws InvalidArgumentException as the canonical constructor
     */
    public TrainingSpec(TrainingData data, Map<String, Object> params, int rounds, int earlyStoppingRounds, String modelFormat) {
        this(data, params, rounds, earlyStoppingRounds, modelFormat, true);
    }

    /**
     * Starts a spec.
     *
     * @param data the rows
     * @return a builder
     */
    public static Builder builder(TrainingData data) {
        return new Builder(data);
    }

    /**
     * Returns a copy with more (or replaced) parameters, as a hyper-parameter trial uses it.
     *
     * @param overrides the parameters to set
     * @return the new spec
     */
    public TrainingSpec withParams(Map<String, Object> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>(params);
        merged.putAll(overrides);
        return new TrainingSpec(data, merged, rounds, earlyStoppingRounds, modelFormat, evaluateTrainingSet);
    }

    /** Builds a {@link TrainingSpec}. */
    public static final class Builder {
        private final TrainingData data;
        private final Map<String, Object> params = new LinkedHashMap<>();
        private int rounds = 100;
        private int earlyStoppingRounds;
        private String modelFormat = "json";
        private boolean evaluateTrainingSet = true;

        private Builder(TrainingData data) {
            this.data = data;
        }

        /**
         * Sets a booster parameter.
         *
         * @param name XGBoost's parameter name
         * @param value its value
         * @return this builder
         */
        public Builder param(String name, Object value) {
            params.put(name, value);
            return this;
        }

        /**
         * Sets booster parameters.
         *
         * @param values name to value
         * @return this builder
         */
        public Builder params(Map<String, ?> values) {
            params.putAll(values);
            return this;
        }

        /**
         * Sets the maximum number of rounds (default 100).
         *
         * @param n the rounds
         * @return this builder
         */
        public Builder rounds(int n) {
            this.rounds = n;
            return this;
        }

        /**
         * Stops when the evaluation metric has not improved for {@code n} rounds.
         *
         * @param n the patience
         * @return this builder
         */
        public Builder earlyStoppingRounds(int n) {
            this.earlyStoppingRounds = n;
            return this;
        }

        /**
         * Saves the model as {@code json} (default) or {@code ubj}.
         *
         * @param format the format
         * @return this builder
         */
        public Builder modelFormat(String format) {
            this.modelFormat = format;
            return this;
        }

        /**
         * Chooses whether every round's metrics are also computed on the training rows (default true).
         * That is one more pass over the training rows per round: at 1M rows x 20 features, about a
         * tenth of XGBoost's own training time. With {@code false}, only the evaluation split is
         * evaluated and logged; with no split either, no per-round metrics are logged, the model keeps
         * every round and early stopping is refused.
         *
         * @param evaluate whether to evaluate the training rows
         * @return this builder
         */
        public Builder evaluateTrainingSet(boolean evaluate) {
            this.evaluateTrainingSet = evaluate;
            return this;
        }

        /**
         * Builds the spec.
         *
         * @return the spec
         * @throws InvalidArgumentException if it is invalid
         */
        public TrainingSpec build() {
            return new TrainingSpec(data, params, rounds, earlyStoppingRounds, modelFormat, evaluateTrainingSet);
        }
    }
}
