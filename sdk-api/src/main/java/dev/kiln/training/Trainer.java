package dev.kiln.training;

import dev.kiln.experiments.Run;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.spi.ProviderLookup;
import dev.kiln.spi.TrainerProvider;

/**
 * Trains models from lakehouse data inside a run. kiln-xgboost provides the default (XGBoost4J).
 */
public interface Trainer {

    /**
     * Finds the trainer on the class path (kiln-xgboost by default) for a lakehouse.
     *
     * @param lakehouse where the training data is read
     * @return the trainer
     * @throws dev.kiln.KilnException if no trainer is on the class path; the message names the module
     */
    static Trainer find(Lakehouse lakehouse) {
        return ProviderLookup.find(TrainerProvider.class, "kiln.trainer", TrainerProvider::name, TrainerProvider::priority,
                "dev.kiln:kiln-xgboost and ml.dmlc:xgboost4j_2.12").create(lakehouse);
    }

    /**
     * Trains a model and logs everything about it to the run: parameters, each round's evaluation
     * metrics by step, the best iteration, feature importance, the input tables with versions, and the
     * model as an artifact.
     *
     * @param run the run to log to
     * @param spec what to train
     * @return the trained model
     * @throws dev.kiln.InvalidArgumentException if a column is missing or not numeric, or a parameter is rejected
     * @throws dev.kiln.NotFoundException if the table does not exist
     */
    TrainedModel train(Run run, TrainingSpec spec);

    /**
     * Runs a hyper-parameter search: each trial is a nested run of {@code parent}, trials run in
     * parallel within the machine's cores, and the best is chosen by a metric.
     *
     * @param parent the run that holds the trials
     * @param base the spec every trial starts from
     * @param space the parameter sets to try
     * @param metric the final evaluation metric to compare, e.g. {@code eval-auc}
     * @param maximize whether a larger metric is better
     * @return every trial and the best
     * @throws dev.kiln.InvalidArgumentException if the metric is not produced by the trials, or the spec evaluates no
     *         rows (no evaluation split and {@code evaluateTrainingSet(false)}), which is refused before any trial starts
     */
    SearchResult search(Run parent, TrainingSpec base, SearchSpace space, String metric, boolean maximize);
}
