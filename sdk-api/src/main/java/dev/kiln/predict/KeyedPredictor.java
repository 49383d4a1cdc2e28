package dev.kiln.predict;

import java.util.List;
import java.util.Map;

/**
 * A model bound to the feature lookups it was trained with: it scores an entity by key, fetching the
 * features from online stores, with request-time values allowed to override or add features.
 *
 * <pre>{@code
 * float churn = predictor.predict(Map.of("customer_id", 42L));
 * float withOverride = predictor.predict(Map.of("customer_id", 42L, "visits_30d", 0.0));
 * }</pre>
 */
public interface KeyedPredictor extends AutoCloseable {

    /**
     * Returns the request columns that identify an entity.
     *
     * @return the key columns, as the training set's spine named them
     */
    List<String> keys();

    /**
     * Returns the model's input signature.
     *
     * @return the signature
     */
    Signature signature();

    /**
     * Scores one entity: the first output (the probability of a binary model).
     *
     * @param request key values, plus any feature values to use instead of the stored ones
     * @return the prediction
     * @throws dev.kiln.InvalidArgumentException if a key is missing or a value is not a number
     */
    float predict(Map<String, ?> request);

    /**
     * Builds the model's input row for a request, as {@link #predict(Map)} scores it (for
     * explanation and logging).
     *
     * @param request key values and overrides
     * @return the row, NaN where a feature is missing
     * @throws dev.kiln.InvalidArgumentException if a key is missing or a value is not a number
     */
    float[] row(Map<String, ?> request);

    /**
     * Scores a row made by {@link #row(Map)} with this predictor's model, without looking the
     * features up again: for a caller that needs both the row and its score (logging, explaining),
     * so that the score is exactly that row's.
     *
     * @param row the row, {@link Signature#width()} values in model order
     * @return the prediction, as {@link #predict(Map)} would give for the request the row came from
     * @throws dev.kiln.SchemaMismatchException if the row has the wrong width
     */
    float score(float[] row);

    /**
     * Brings the features looked up by key up to date with their tables: each online store applies
     * the table versions committed since it last read (only the rows that changed are read).
     *
     * @return the number of keys whose feature vector changed
     * @throws dev.kiln.StorageException if a feature table cannot be read; lookups keep the values they had
     */
    long refresh();

    /**
     * Releases the online stores.
     */
    @Override
    void close();
}
