package dev.kiln.xgboost;

import dev.kiln.MalformedModelException;
import dev.kiln.UnsupportedFeatureException;
import dev.kiln.predict.Predictor;
import dev.kiln.predict.PredictorOptions;
import dev.kiln.spi.PredictorProvider;

/**
 * Scores XGBoost models (JSON and UBJSON, XGBoost 1.6 to 3.4) in pure Java, with XGBoost's exact
 * float32 arithmetic. Found by {@link java.util.ServiceLoader}; use {@link Predictor#load} rather
 * than this class.
 */
public final class XGBoostPredictorProvider implements PredictorProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public XGBoostPredictorProvider() {
    }

    @Override
    public String name() {
        return "xgboost";
    }

    @Override
    public int priority() {
        return 100;
    }

    /**
     * Reads and compiles an XGBoost model.
     *
     * @param model the JSON or UBJSON bytes
     * @param options how to score
     * @return the predictor
     * @throws MalformedModelException if the bytes are not a readable XGBoost model
     * @throws UnsupportedFeatureException for gblinear, vector-leaf trees or an unknown objective
     */
    @Override
    public Predictor load(byte[] model, PredictorOptions options) {
        XgbModel parsed;
        try {
            parsed = XgbModel.parse(model);
        } catch (OutOfMemoryError e) {
            throw new MalformedModelException("The model is too large to load in this heap ("
                    + model.length + " bytes).", e);
        }
        return new XgbPredictor(new Compiled(parsed), options);
    }
}
