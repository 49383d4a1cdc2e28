package dev.kiln.spi;

import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.training.Trainer;

/** A model trainer found by {@link java.util.ServiceLoader}; kiln-xgboost provides XGBoost4J's. */
public interface TrainerProvider {

    /**
     * Returns the name {@code -Dkiln.trainer} selects this provider by.
     *
     * @return the provider name, e.g. {@code xgboost}
     */
    String name();

    /**
     * Returns the priority among discovered providers; the highest wins.
     *
     * @return the priority
     */
    int priority();

    /**
     * Creates a trainer reading from a lakehouse.
     *
     * @param lakehouse where training data is read
     * @return the trainer
     * @throws dev.kiln.KilnException if the training library cannot be loaded
     */
    Trainer create(Lakehouse lakehouse);
}
