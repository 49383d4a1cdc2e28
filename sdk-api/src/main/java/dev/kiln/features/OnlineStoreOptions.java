package dev.kiln.features;

import dev.kiln.InvalidArgumentException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of an online store. Reached through {@link #builder()}.
 *
 * @param features the features to publish, in order; empty for every feature
 * @param staleAfter a value whose event time is older than this is flagged stale; null for never
 * @param clock the clock staleness is measured with
 */
public record OnlineStoreOptions(List<String> features, Duration staleAfter, Clock clock) {

    /** Every feature, never stale, the system clock. */
    public static final OnlineStoreOptions DEFAULTS = new OnlineStoreOptions(List.of(), null, Clock.systemUTC());

    /**
     * Checks and copies the options.
     *
     * @param features the features
     * @param staleAfter the staleness limit, or null
     * @param clock the clock
     * @throws InvalidArgumentException if the staleness limit is negative
     */
    public OnlineStoreOptions {
        features = List.copyOf(features == null ? List.of() : features);
        clock = clock == null ? Clock.systemUTC() : clock;
        if (staleAfter != null && staleAfter.isNegative()) {
            throw new InvalidArgumentException("staleAfter must not be negative, got " + staleAfter + ".");
        }
    }

    /**
     * Starts building options.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link OnlineStoreOptions}. */
    public static final class Builder {
        private final List<String> features = new ArrayList<>();
        private Duration staleAfter;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Publishes only these features.
         *
         * @param names feature columns
         * @return this builder
         */
        public Builder features(String... names) {
            features.addAll(List.of(names));
            return this;
        }

        /**
         * Flags values whose event time is older than this.
         *
         * @param limit the staleness limit
         * @return this builder
         */
        public Builder staleAfter(Duration limit) {
            this.staleAfter = limit;
            return this;
        }

        /**
         * Measures staleness with this clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public OnlineStoreOptions build() {
            return new OnlineStoreOptions(features, staleAfter, clock);
        }
    }
}
