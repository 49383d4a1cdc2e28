package dev.kiln.xgboost.train;

import dev.kiln.KilnException;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.spi.TrainerProvider;
import dev.kiln.training.Trainer;

/** Provides the XGBoost4J trainer; XGBoost4J's native library loads on the first training, not here. */
public final class XGBoostTrainerProvider implements TrainerProvider {

    /** Used by {@link java.util.ServiceLoader}. */
    public XGBoostTrainerProvider() {
    }

    @Override
    public String name() {
        return "xgboost";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Trainer create(Lakehouse lakehouse) {
        try {
            Class.forName("ml.dmlc.xgboost4j.java.XGBoost", false, XGBoostTrainerProvider.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new KilnException("Training needs XGBoost4J on the class path: add ml.dmlc:xgboost4j_2.12:3.4.0 "
                    + "(kiln-xgboost declares it optional so that scoring-only services stay free of it).", e);
        }
        return new XGBoostTrainer(lakehouse);
    }
}
