package dev.kiln.experiments;

import java.util.Map;

/**
 * What a run logged, as MLflow's {@code RunData}: the latest value of each metric, the params and
 * the tags.
 *
 * @param metrics the latest value of each metric (largest step, then latest timestamp)
 * @param params the params
 * @param tags the tags, system tags ({@code mlflow.*}, {@code kiln.*}) included
 */
public record RunData(Map<String, Double> metrics, Map<String, String> params, Map<String, String> tags) {

    /** Nothing logged. */
    public static final RunData EMPTY = new RunData(Map.of(), Map.of(), Map.of());

    /**
     * Copies the maps.
     *
     * @param metrics the latest metric values
     * @param params the params
     * @param tags the tags
     */
    public RunData {
        metrics = Map.copyOf(metrics);
        params = Map.copyOf(params);
        tags = Map.copyOf(tags);
    }
}
