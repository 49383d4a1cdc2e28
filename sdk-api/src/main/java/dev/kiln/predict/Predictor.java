package dev.kiln.predict;

import dev.kiln.InvalidArgumentException;
import dev.kiln.KilnException;
import dev.kiln.MalformedModelException;
import dev.kiln.NotFoundException;
import dev.kiln.SchemaMismatchException;
import dev.kiln.StorageException;
import dev.kiln.UnsupportedFeatureException;
import dev.kiln.spi.PredictorProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Scores rows with a trained model (XGBoost JSON or UBJSON), in process and with XGBoost's exact
 * answers. A predictor is immutable and thread-safe: share one across threads. Single-row calls
 * on {@code float[]} allocate nothing and take no lock.
 *
 * <pre>{@code
 * Predictor p = Predictor.load(Path.of("model.json"));
 * float probability = p.predict(new float[] {1.5f, Float.NaN, 3f});
 * }</pre>
 *
 * <p>Rows are {@code float[]} of {@link Signature#width()} values in model order; NaN (and the
 * configured {@link PredictorOptions#missing()} value) means missing. Categorical features take
 * the category code, or the category name through {@link FeatureRow}.
 *
 * <p>The implementation is found on the class path through {@link PredictorProvider}; add
 * {@code dev.kiln:kiln-xgboost}.
 */
public interface Predictor {

    /** Model files larger than this are refused (2 GiB less a little). */
    long MAX_MODEL_BYTES = Integer.MAX_VALUE - 64;

    /**
     * Loads a model file with the default options.
     *
     * @param path an XGBoost model saved as JSON or UBJSON
     * @return the predictor
     * @throws MalformedModelException if the file is not a readable model
     * @throws UnsupportedFeatureException if the model uses a feature Kiln does not score
     * @throws NotFoundException if the file does not exist
     * @throws StorageException if the file cannot be read
     */
    static Predictor load(Path path) {
        return load(path, PredictorOptions.defaults());
    }

    /**
     * Loads a model file.
     *
     * @param path an XGBoost model saved as JSON or UBJSON
     * @param options how to score
     * @return the predictor
     * @throws MalformedModelException if the file is not a readable model
     * @throws UnsupportedFeatureException if the model uses a feature Kiln does not score
     * @throws NotFoundException if the file does not exist
     * @throws StorageException if the file cannot be read
     */
    static Predictor load(Path path, PredictorOptions options) {
        Objects.requireNonNull(path, "path");
        byte[] bytes;
        try {
            if (Files.size(path) > MAX_MODEL_BYTES) {
                throw new MalformedModelException("Model file " + path + " is larger than 2 GiB.");
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("Model file " + path + " does not exist.", e);
        } catch (IOException e) {
            throw new StorageException("Cannot read model file " + path + ": " + e, e);
        }
        return load(bytes, options);
    }

    /**
     * Loads a model from a stream with the default options; the stream is read to its end, not closed.
     *
     * @param in the model bytes (JSON or UBJSON)
     * @return the predictor
     * @throws MalformedModelException if the bytes are not a readable model
     * @throws UnsupportedFeatureException if the model uses a feature Kiln does not score
     * @throws StorageException if the stream fails
     */
    static Predictor load(InputStream in) {
        return load(in, PredictorOptions.defaults());
    }

    /**
     * Loads a model from a stream; the stream is read to its end, not closed.
     *
     * @param in the model bytes (JSON or UBJSON)
     * @param options how to score
     * @return the predictor
     * @throws MalformedModelException if the bytes are not a readable model
     * @throws UnsupportedFeatureException if the model uses a feature Kiln does not score
     * @throws StorageException if the stream fails
     */
    static Predictor load(InputStream in, PredictorOptions options) {
        Objects.requireNonNull(in, "in");
        byte[] bytes;
        try {
            bytes = in.readNBytes((int) MAX_MODEL_BYTES);
            if (in.read() != -1) {
                throw new MalformedModelException("Model stream is larger than 2 GiB.");
            }
        } catch (IOException e) {
            throw new StorageException("Cannot read the model stream: " + e.getMessage(), e);
        }
        return load(bytes, options);
    }

    /**
     * Loads a model from bytes with the default options.
     *
     * @param model the model bytes (JSON or UBJSON)
     * @return the predictor
     * @throws MalformedModelException if the bytes are not a readable model
     * @throws UnsupportedFeatureException if the model uses a feature Kiln does not score
     */
    static Predictor load(byte[] model) {
        return load(model, PredictorOptions.defaults());
    }

    /**
     * Loads a model from bytes.
     *
     * @param model the model bytes (JSON or UBJSON); not retained
     * @param options how to score
     * @return the predictor
     * @throws MalformedModelException if the bytes are not a readable model
     * @throws UnsupportedFeatureException if the model uses a feature Kiln does not score
     * @throws KilnException if no predictor provider is on the class path
     */
    static Predictor load(byte[] model, PredictorOptions options) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        return PredictorProvider.find().load(model, options);
    }

    /**
     * Returns the model's inputs and output shape.
     *
     * @return the signature
     */
    Signature signature();

    /**
     * Returns the options this predictor scores with.
     *
     * @return the options
     */
    PredictorOptions options();

    /**
     * Returns a predictor of the same model with other options, sharing the compiled model.
     *
     * @param options the new options
     * @return a predictor using them
     */
    Predictor withOptions(PredictorOptions options);

    /**
     * Scores one row of a single-output model: the transformed prediction, or the margin when
     * {@link PredictorOptions#outputMargin()} is set. Allocates nothing.
     *
     * @param row {@link Signature#width()} values in model order
     * @return the prediction
     * @throws SchemaMismatchException if the row has the wrong width
     * @throws InvalidArgumentException if the model has more than one output per row
     */
    float predict(float[] row);

    /**
     * Scores one row into {@code out}: {@link Signature#outputCount()} values (or
     * {@link Signature#marginCount()} margins when {@link PredictorOptions#outputMargin()} is set).
     *
     * @param row {@link Signature#width()} values in model order
     * @param out receives the outputs from index 0
     * @throws SchemaMismatchException if the row has the wrong width
     * @throws InvalidArgumentException if {@code out} is too short
     */
    void predict(float[] row, float[] out);

    /**
     * Returns the raw margin of one row of a single-group model, whatever the options say.
     *
     * @param row {@link Signature#width()} values in model order
     * @return the margin
     * @throws SchemaMismatchException if the row has the wrong width
     * @throws InvalidArgumentException if the model has more than one output group
     */
    float predictMargin(float[] row);

    /**
     * Writes the raw margins of one row ({@link Signature#marginCount()} values).
     *
     * @param row {@link Signature#width()} values in model order
     * @param out receives the margins from index 0
     * @throws SchemaMismatchException if the row has the wrong width
     * @throws InvalidArgumentException if {@code out} is too short
     */
    void predictMargin(float[] row, float[] out);

    /**
     * Scores one sparse row: features not listed are missing (never zero), as in LIBSVM or CSR data.
     *
     * @param indices the 0-based positions of the present features
     * @param values their values, parallel to {@code indices}
     * @param out receives the outputs as {@link #predict(float[], float[])} does
     * @throws SchemaMismatchException if an index is outside the row or the arrays differ in length
     */
    default void predictSparse(int[] indices, float[] values, float[] out) {
        int width = signature().width();
        if (indices.length != values.length) {
            throw new SchemaMismatchException("A sparse row needs as many values (" + values.length
                    + ") as indices (" + indices.length + ").");
        }
        float[] row = new float[width];
        java.util.Arrays.fill(row, Float.NaN);
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= width) {
                throw new SchemaMismatchException("Sparse index " + i + " is outside a row of " + width + " features.");
            }
            row[i] = values[k];
        }
        predict(row, out);
    }

    /**
     * Scores a batch of rows stored row-major; uses {@link PredictorOptions#threads()} threads.
     *
     * @param rowMajor {@code rows * width} values
     * @param rows the number of rows
     * @param out receives {@code rows * outputCount} values (or {@code rows * marginCount} margins
     *     when {@link PredictorOptions#outputMargin()} is set), row-major
     * @throws SchemaMismatchException if {@code rowMajor} does not hold {@code rows} rows
     * @throws InvalidArgumentException if {@code out} is too short
     */
    void predictBatch(float[] rowMajor, int rows, float[] out);

    /**
     * Scores a batch of rows and returns a new output array.
     *
     * @param rowMajor {@code rows * width} values
     * @param rows the number of rows
     * @return the outputs, row-major
     * @throws SchemaMismatchException if {@code rowMajor} does not hold {@code rows} rows
     */
    default float[] predictBatch(float[] rowMajor, int rows) {
        Signature s = signature();
        float[] out = new float[rows * (options().outputMargin() ? s.marginCount() : s.outputCount())];
        predictBatch(rowMajor, rows, out);
        return out;
    }

    /**
     * Returns, for each tree in the iteration range, the id of the leaf the row lands in (as
     * XGBoost's {@code pred_leaf}).
     *
     * @param row {@link Signature#width()} values in model order
     * @return one node id per tree, in tree order
     * @throws SchemaMismatchException if the row has the wrong width
     */
    int[] predictLeaf(float[] row);

    /**
     * Explains one prediction: per-feature contributions to the margin (TreeSHAP, as XGBoost's
     * {@code pred_contribs}). For each output group there are {@code width + 1} values, the last
     * being the bias (the expected margin); each group's values sum to its margin.
     *
     * @param row {@link Signature#width()} values in model order
     * @return {@code marginCount * (width + 1)} contributions, group-major
     * @throws SchemaMismatchException if the row has the wrong width
     */
    float[] contributions(float[] row);

    /**
     * Returns a new, all-missing row keyed by the model's feature names, to fill and reuse.
     *
     * @return a row for this model
     */
    default FeatureRow newRow() {
        return new FeatureRow(signature());
    }

    /**
     * Scores a named row of a single-output model.
     *
     * @param row a row made by {@link #newRow()}
     * @return the prediction
     * @throws InvalidArgumentException if the row was made for another signature or the model has
     *     more than one output
     */
    default float predict(FeatureRow row) {
        return predict(row.values());
    }

    /**
     * Scores a row given as a map from feature name to value (number, boolean, category name or
     * null); features not in the map are missing.
     *
     * @param row the named values
     * @return the outputs (see {@link #predict(float[], float[])})
     * @throws SchemaMismatchException if a name is unknown or a string is given for a numeric feature
     */
    default float[] predict(Map<String, ?> row) {
        FeatureRow r = newRow();
        row.forEach(r::set);
        Signature s = signature();
        float[] out = new float[options().outputMargin() ? s.marginCount() : s.outputCount()];
        predict(r.values(), out);
        return out;
    }
}
