package dev.kiln.models;

import dev.kiln.predict.Predictor;

/**
 * The predictor {@link ModelRegistry#load(String)} returns for {@code models:/name@alias}: it follows
 * the alias, and says which version it scores with.
 *
 * <pre>{@code
 * AliasPredictor live = (AliasPredictor) kiln.models().load("models:/churn@champion");
 * AliasPredictor.Pinned now = live.pinned();
 * float p = now.predictor().predict(row);   // scored by version now.version(), even if the alias moves meanwhile
 * }</pre>
 */
public interface AliasPredictor extends Predictor {

    /**
     * Returns the alias URI this predictor follows.
     *
     * @return the {@code models:/name@alias} URI
     */
    ModelUri uri();

    /**
     * Returns the version served now together with a predictor bound to that version only, read in
     * one step, so that a caller who scores with {@link Pinned#predictor()} knows exactly which
     * version answered.
     *
     * @return the current version and its predictor
     */
    Pinned pinned();

    /**
     * One version of a followed model.
     *
     * @param version the version number
     * @param predictor a predictor of exactly that version (it does not follow the alias)
     */
    record Pinned(long version, Predictor predictor) {
    }
}
