package dev.kiln.training;

import java.util.List;

/**
 * The outcome of a hyper-parameter search.
 *
 * @param parentRunId the run that holds the trials as nested runs
 * @param trials every trial's model, in the order of the search space
 * @param best the trial with the best value of the chosen metric
 * @param metric the metric the trials were compared by
 */
public record SearchResult(String parentRunId, List<TrainedModel> trials, TrainedModel best, String metric) {
    /**
     * Copies the list.
     *
     * @param parentRunId the parent run
     * @param trials the trials
     * @param best the best trial
     * @param metric the metric
     */
    public SearchResult {
        trials = List.copyOf(trials);
    }
}
