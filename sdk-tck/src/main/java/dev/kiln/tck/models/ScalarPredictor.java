package dev.kiln.tck.models;

import dev.kiln.predict.Predictor;
import dev.kiln.predict.PredictorOptions;
import java.util.Arrays;

/**
 * A stand-in model for tests that need a {@link Predictor} without kiln-xgboost: a subclass gives the
 * signature and the score of one row, and every other call follows from those (one output, the margin
 * is the score, a batch is scored row by row). Leaf indices and contributions are tree-model calls a
 * stand-in cannot answer.
 */
public abstract class ScalarPredictor implements Predictor {

    /** For subclasses. */
    protected ScalarPredictor() {
    }

    /**
     * Returns the default options; a stand-in has no settings.
     *
     * @return {@link PredictorOptions#defaults()}
     */
    @Override
    public PredictorOptions options() {
        return PredictorOptions.defaults();
    }

    /**
     * Returns this predictor; a stand-in has no settings.
     *
     * @param options ignored
     * @return this
     */
    @Override
    public Predictor withOptions(PredictorOptions options) {
        return this;
    }

    /**
     * Writes the score of a row.
     *
     * @param row the features
     * @param out receives the score at index 0
     */
    @Override
    public void predict(float[] row, float[] out) {
        out[0] = predict(row);
    }

    /**
     * Returns the score of a row: a stand-in has no link function.
     *
     * @param row the features
     * @return the score
     */
    @Override
    public float predictMargin(float[] row) {
        return predict(row);
    }

    /**
     * Writes the score of a row.
     *
     * @param row the features
     * @param out receives the score at index 0
     */
    @Override
    public void predictMargin(float[] row, float[] out) {
        out[0] = predict(row);
    }

    /**
     * Scores rows one at a time.
     *
     * @param rowMajor the rows, {@code signature().width()} values each
     * @param rows the number of rows
     * @param out receives one score per row
     */
    @Override
    public void predictBatch(float[] rowMajor, int rows, float[] out) {
        int width = signature().width();
        for (int i = 0; i < rows; i++) {
            out[i] = predict(Arrays.copyOfRange(rowMajor, i * width, (i + 1) * width));
        }
    }

    /**
     * Not answered by a stand-in.
     *
     * @param row the features
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public int[] predictLeaf(float[] row) {
        throw new UnsupportedOperationException("A stand-in predictor has no trees.");
    }

    /**
     * Not answered by a stand-in.
     *
     * @param row the features
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public float[] contributions(float[] row) {
        throw new UnsupportedOperationException("A stand-in predictor has no trees.");
    }
}
