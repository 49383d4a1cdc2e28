package dev.kiln.training;

import dev.kiln.InvalidArgumentException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training job: the data, the booster parameters (XGBoost's names), the number of rounds and
 * early stopping.
 *
 * @param data the rows
 * @param params booster parameters, e.g. {@code objective}, {@code max_depth}, {@code eta}, {@code seed}
 * @param rounds the maximum number of boosting rounds
 * @param earlyStoppingRounds stop when the evaluation metric has not improved for this many rounds (0: never)
 * @param modelFormat {@code json} or {@code ubj}, the format the model artifact is saved in
 */
public record TrainingSpec(TrainingData data, Map<String, Object> params, int rounds, int earlyStoppingRounds, String modelFormat) {

    /**
     * Checks the spec.
     *
     * @param data the rows
     * @param params the parameters
     * @param rounds the rounds
     * @param earlyStoppingRounds the patience
     * @param modelFormat the artifact format
     * @throws InvalidArgumentException if rounds is not positive, the patience negative or the format unknown
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
        params = Map.copyOf(params);
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
        return new TrainingSpec(data, merged, rounds, earlyStoppingRounds, modelFormat);
    }

    /** Builds a {@link TrainingSpec}. */
    public static final class Builder {
        private final TrainingData data;
        private final Map<String, Object> params = new LinkedHashMap<>();
        private int rounds = 100;
        private int earlyStoppingRounds;
        private String modelFormat = "json";

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
         * Builds the spec.
         *
         * @return the spec
         * @throws InvalidArgumentException if it is invalid
         */
        public TrainingSpec build() {
            return new TrainingSpec(data, params, rounds, earlyStoppingRounds, modelFormat);
        }
    }
}
