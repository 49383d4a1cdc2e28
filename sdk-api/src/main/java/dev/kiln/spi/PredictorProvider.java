package dev.kiln.spi;

import dev.kiln.KilnException;
import dev.kiln.MalformedModelException;
import dev.kiln.UnsupportedFeatureException;
import dev.kiln.predict.Predictor;
import dev.kiln.predict.PredictorOptions;

/**
 * Turns model bytes into a {@link Predictor}. Implementations are found with
 * {@link java.util.ServiceLoader}; {@code dev.kiln:kiln-xgboost} provides the XGBoost one. The
 * system property {@value #PROPERTY} may name the provider to use.
 */
public interface PredictorProvider {

    /** The system property that may name the provider to use. */
    String PROPERTY = "kiln.predictor.provider";

    /**
     * Returns the provider's name, for example {@code xgboost}.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the provider's priority; the highest one found wins.
     *
     * @return the priority
     */
    default int priority() {
        return 0;
    }

    /**
     * Reads a model and compiles it for scoring.
     *
     * @param model the model bytes; implementations must not retain the array
     * @param options how to score
     * @return the predictor
     * @throws MalformedModelException if the bytes are not a readable model
     * @throws UnsupportedFeatureException if the model uses a feature the provider does not score
     */
    Predictor load(byte[] model, PredictorOptions options);

    /**
     * Finds the provider to use: the one named by {@value #PROPERTY}, else the highest priority.
     *
     * @return the provider
     * @throws KilnException if none is on the class path (add {@code dev.kiln:kiln-xgboost})
     */
    static PredictorProvider find() {
        return ProviderLookup.find(PredictorProvider.class, PROPERTY, PredictorProvider::name,
                PredictorProvider::priority, "dev.kiln:kiln-xgboost");
    }
}
