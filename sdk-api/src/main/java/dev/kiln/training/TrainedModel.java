package dev.kiln.training;

import java.util.List;
import java.util.Map;

/**
 * What a training run produced.
 *
 * @param runId the run it was logged to
 * @param artifactPath the model's path among the run's artifacts, e.g. {@code model/model.json}
 * @param model the model bytes, in the spec's format
 * @param featureNames the model's input features, in order
 * @param bestIteration the best boosting round (0-based) by the evaluation metric; the last round when no rows were evaluated
 * @param rounds the number of rounds trained
 * @param metrics the final value of every evaluation metric, e.g. {@code eval-auc}; empty when no rows were evaluated
 * @param tableVersions the lakehouse tables read and the version of each
 */
public record TrainedModel(String runId, String artifactPath, byte[] model, List<String> featureNames, int bestIteration, int rounds,
        Map<String, Double> metrics, Map<String, Long> tableVersions) {
    /**
     * Copies the collections.
     *
     * @param runId the run
     * @param artifactPath the artifact path
     * @param model the bytes
     * @param featureNames the features
     * @param bestIteration the best round
     * @param rounds the rounds trained
     * @param metrics the final metrics
     * @param tableVersions the tables read
     */
    public TrainedModel {
        featureNames = List.copyOf(featureNames);
        metrics = Map.copyOf(metrics);
        tableVersions = Map.copyOf(tableVersions);
    }
}
