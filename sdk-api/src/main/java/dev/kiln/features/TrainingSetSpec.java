package dev.kiln.features;

import dev.kiln.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;

/**
 * A spine plus feature lookups: what {@link FeatureStore#trainingSet(TrainingSetSpec)} joins point-in-time.
 * Reached through {@link #builder(Spine)}.
 *
 * @param spine the spine
 * @param lookups the lookups, joined in order; their output columns follow the spine's columns
 * @param exclude spine columns to leave out of the result (for example an internal id)
 */
public record TrainingSetSpec(Spine spine, List<FeatureLookup> lookups, List<String> exclude) {

    /**
     * Checks and copies the spec.
     *
     * @param spine the spine
     * @param lookups the lookups
     * @param exclude the excluded spine columns
     * @throws InvalidArgumentException if the spine is missing or there is no lookup
     */
    public TrainingSetSpec {
        if (spine == null) {
            throw new InvalidArgumentException("A training set needs a spine, e.g. Spine.table(\"ml.labels\", \"ts\").");
        }
        lookups = List.copyOf(lookups == null ? List.of() : lookups);
        if (lookups.isEmpty()) {
            throw new InvalidArgumentException("A training set needs at least one feature lookup.");
        }
        exclude = List.copyOf(exclude == null ? List.of() : exclude);
    }

    /**
     * Starts a training set over a spine.
     *
     * @param spine the spine
     * @return a builder
     */
    public static Builder builder(Spine spine) {
        return new Builder(spine);
    }

    /** Builds a {@link TrainingSetSpec}. */
    public static final class Builder {
        private final Spine spine;
        private final List<FeatureLookup> lookups = new ArrayList<>();
        private final List<String> exclude = new ArrayList<>();

        private Builder(Spine spine) {
            this.spine = spine;
        }

        /**
         * Adds a lookup.
         *
         * @param lookup the lookup
         * @return this builder
         */
        public Builder lookup(FeatureLookup lookup) {
            lookups.add(lookup);
            return this;
        }

        /**
         * Leaves spine columns out of the result.
         *
         * @param columns spine columns
         * @return this builder
         */
        public Builder exclude(String... columns) {
            exclude.addAll(List.of(columns));
            return this;
        }

        /**
         * Builds the spec.
         *
         * @return the spec
         * @throws InvalidArgumentException if there is no lookup
         */
        public TrainingSetSpec build() {
            return new TrainingSetSpec(spine, lookups, exclude);
        }
    }
}
