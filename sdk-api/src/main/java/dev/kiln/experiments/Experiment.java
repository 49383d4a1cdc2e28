package dev.kiln.experiments;

import java.util.Map;

/**
 * An experiment: a named group of runs.
 *
 * @param experimentId the id, stable for the life of the workspace
 * @param name the unique name
 * @param artifactLocation where runs of this experiment keep their artifacts (a URI)
 * @param lifecycleStage active or deleted
 * @param tags the experiment's tags
 * @param creationTime when it was created, in milliseconds since the epoch
 * @param lastUpdateTime when it last changed, in milliseconds since the epoch
 */
public record Experiment(String experimentId, String name, String artifactLocation, LifecycleStage lifecycleStage,
        Map<String, String> tags, long creationTime, long lastUpdateTime) {

    /**
     * Copies the tags.
     *
     * @param experimentId the id
     * @param name the name
     * @param artifactLocation the artifact location
     * @param lifecycleStage the stage
     * @param tags the tags
     * @param creationTime the creation time
     * @param lastUpdateTime the last update time
     */
    public Experiment {
        artifactLocation = artifactLocation == null ? "" : artifactLocation;
        tags = Map.copyOf(tags);
    }
}
