package dev.kiln.features;

import dev.kiln.InvalidArgumentException;
import java.time.Duration;

/**
 * How far back from a spine row's time a feature value may come from. "No limit", "only the same instant"
 * and "within a window" are three distinct settings: a zero window is refused rather than read as one of
 * the other two.
 */
public sealed interface Lookback permits Lookback.Unbounded, Lookback.ExactMatch, Lookback.Window {

    /**
     * Any earlier or equal event time qualifies ({@code e <= t}).
     *
     * @return the unbounded lookback
     */
    static Lookback unbounded() {
        return Unbounded.INSTANCE;
    }

    /**
     * Only an event time equal to the spine time qualifies ({@code e = t}).
     *
     * @return the exact-match lookback
     */
    static Lookback exactMatch() {
        return ExactMatch.INSTANCE;
    }

    /**
     * Event times within {@code window} before the spine time qualify ({@code t - window <= e <= t}, both ends
     * inclusive).
     *
     * @param window a positive duration
     * @return the windowed lookback
     * @throws InvalidArgumentException if the window is zero or negative
     */
    static Lookback window(Duration window) {
        return new Window(window);
    }

    /** No limit. */
    enum Unbounded implements Lookback {
        /** The only value. */
        INSTANCE
    }

    /** Equal event time only. */
    enum ExactMatch implements Lookback {
        /** The only value. */
        INSTANCE
    }

    /**
     * A window back from the spine time.
     *
     * @param duration the window, positive
     */
    record Window(Duration duration) implements Lookback {
        /**
         * Checks the window.
         *
         * @param duration the window
         * @throws InvalidArgumentException if it is null, zero or negative
         */
        public Window {
            if (duration == null || duration.isZero() || duration.isNegative()) {
                throw new InvalidArgumentException("A lookback window must be positive, got " + duration
                        + "; use Lookback.exactMatch() for e = t or Lookback.unbounded() for no limit.");
            }
        }
    }
}
