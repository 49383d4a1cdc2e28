package dev.kiln.models;

import dev.kiln.predict.FeatureRow;
import dev.kiln.predict.Predictor;
import dev.kiln.predict.PredictorOptions;
import dev.kiln.predict.Signature;
import java.util.Map;

/**
 * A predictor on {@code models:/name@alias} that follows the alias: the registry's follower thread
 * loads the version the alias moved to and publishes it through one volatile write, so each call
 * scores with one whole version, never blocks and never fails because of a swap. The old version
 * is released (left to the garbage collector) once calls in flight on it return.
 */
final class FollowingPredictor implements AliasPredictor {

    private final ModelUri uri;
    private final PredictorOptions options;
    private volatile Pinned current;

    FollowingPredictor(ModelUri uri, PredictorOptions options, Pinned first) {
        this.uri = uri;
        this.options = options;
        this.current = first;
    }

    @Override
    public ModelUri uri() {
        return uri;
    }

    /** The version being served now. */
    long version() {
        return current.version();
    }

    @Override
    public Pinned pinned() {
        return current;
    }

    void swap(Pinned next) {
        current = next;
    }

    @Override
    public Signature signature() {
        return current.predictor().signature();
    }

    @Override
    public PredictorOptions options() {
        return options;
    }

    @Override
    public Predictor withOptions(PredictorOptions newOptions) {
        return current.predictor().withOptions(newOptions);
    }

    @Override
    public float predict(float[] row) {
        return current.predictor().predict(row);
    }

    @Override
    public void predict(float[] row, float[] out) {
        current.predictor().predict(row, out);
    }

    @Override
    public float predictMargin(float[] row) {
        return current.predictor().predictMargin(row);
    }

    @Override
    public void predictMargin(float[] row, float[] out) {
        current.predictor().predictMargin(row, out);
    }

    @Override
    public void predictSparse(int[] indices, float[] values, float[] out) {
        current.predictor().predictSparse(indices, values, out);
    }

    @Override
    public void predictBatch(float[] rowMajor, int rows, float[] out) {
        current.predictor().predictBatch(rowMajor, rows, out);
    }

    @Override
    public float[] predictBatch(float[] rowMajor, int rows) {
        return current.predictor().predictBatch(rowMajor, rows);
    }

    @Override
    public int[] predictLeaf(float[] row) {
        return current.predictor().predictLeaf(row);
    }

    @Override
    public float[] contributions(float[] row) {
        return current.predictor().contributions(row);
    }

    @Override
    public FeatureRow newRow() {
        return current.predictor().newRow();
    }

    @Override
    public float predict(FeatureRow row) {
        return current.predictor().predict(row);
    }

    @Override
    public float[] predict(Map<String, ?> row) {
        return current.predictor().predict(row);
    }

    @Override
    public String toString() {
        return "Predictor[" + uri + " -> version " + current.version() + "]";
    }
}
