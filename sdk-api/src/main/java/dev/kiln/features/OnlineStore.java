package dev.kiln.features;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The latest feature values per key of one feature table, in memory, for lookups in microseconds.
 *
 * <p>Each key's values are replaced as one immutable vector, so a reader never sees values of two versions
 * for one key. A write (from a refresh or {@link #write(Map)}) applies only if its event time (then created
 * time) is newer than what the store holds: late, out-of-order data never overwrites fresher values.
 *
 * <p>Memory: one map entry, one vector and its boxed values per key: measured about 750 bytes of heap per
 * key for 20 DOUBLE features (1M keys, {@code OnlineLookupBenchmark}).
 */
public interface OnlineStore extends AutoCloseable {

    /**
     * Returns the feature table this store publishes.
     *
     * @return {@code schema.table}
     */
    String table();

    /**
     * Returns the published feature names, in vector order.
     *
     * @return the names
     */
    List<String> features();

    /**
     * Returns the primary key columns, in the order lookups take them.
     *
     * @return the key columns
     */
    List<String> keys();

    /**
     * Returns the feature table version the store is refreshed to.
     *
     * @return the version
     */
    long version();

    /**
     * Returns the number of keys held.
     *
     * @return the key count
     */
    int size();

    /**
     * Looks up the vector of a key; integral key values of any Java type match.
     *
     * @param key the primary key values, in {@link #keys()} order
     * @return the vector, or empty if the key is unknown
     * @throws dev.kiln.InvalidArgumentException if the number of values differs from the number of keys
     */
    Optional<FeatureVector> get(Object... key);

    /**
     * Looks up the vector of a key given by column name.
     *
     * @param key primary key column to value
     * @return the vector, or empty if the key is unknown
     * @throws dev.kiln.InvalidArgumentException if a key column is missing
     */
    Optional<FeatureVector> get(Map<String, ?> key);

    /**
     * Applies the changes of every table version newer than {@link #version()} (only the rows that
     * changed are read into the store).
     *
     * @return the number of keys whose vector changed
     * @throws dev.kiln.StorageException if the table cannot be read
     */
    long refresh();

    /**
     * Writes one row directly (for streaming updates); it applies only if newer than the held vector.
     *
     * @param row column to value: the keys, the event time, optionally the created time, and features
     * @return true if it was applied, false if the store holds a newer vector
     * @throws dev.kiln.InvalidArgumentException if a key or the event time is missing
     */
    boolean write(Map<String, ?> row);

    /**
     * Releases the store's memory.
     */
    @Override
    void close();
}
