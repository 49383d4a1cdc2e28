package dev.kiln.features;

import java.time.Instant;
import java.util.List;

/**
 * The latest feature values of one key, as an online store holds them.
 *
 * @param names the feature names, in order (shared by every vector of a store)
 * @param values the values, in the order of {@code names}; do not modify
 * @param eventTime the event time of the values
 * @param tableVersion the feature table version the values were published from, or -1 for a direct write
 * @param stale whether the event time is older than the store's staleness limit
 */
public record FeatureVector(List<String> names, Object[] values, Instant eventTime, long tableVersion, boolean stale) {

    /**
     * Returns a value by feature name.
     *
     * @param feature the feature name
     * @return the value, or null
     * @throws IllegalArgumentException if the store does not publish this feature
     */
    public Object get(String feature) {
        int i = names.indexOf(feature);
        if (i < 0) {
            throw new IllegalArgumentException("Feature '" + feature + "' is not published; published: " + names);
        }
        return values[i];
    }

    /**
     * Returns a value by position.
     *
     * @param index the feature's index in {@code names}
     * @return the value, or null
     */
    public Object get(int index) {
        return values[index];
    }
}
