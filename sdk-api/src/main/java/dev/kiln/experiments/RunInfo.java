package dev.kiln.experiments;

import java.util.Objects;

/**
 * What identifies a run and where it stands, as MLflow's {@code RunInfo}. The attributes
 * {@code run_id}, {@code run_name}, {@code status}, {@code user_id}, {@code artifact_uri},
 * {@code start_time} and {@code end_time} can be searched and ordered by.
 *
 * @param runId the run id: 32 lower-case hex characters
 * @param runName the run's name (generated if none was given)
 * @param experimentId the id of the experiment holding the run
 * @param userId who started the run
 * @param status the run's status
 * @param startTime when it started, in milliseconds since the epoch
 * @param endTime when it ended, in milliseconds since the epoch, or null while it has not ended
 * @param artifactUri the root of its artifacts (a URI)
 * @param lifecycleStage active or deleted
 * @param parentRunId the parent run's id for a nested run, or empty
 */
public record RunInfo(String runId, String runName, String experimentId, String userId, RunStatus status,
        long startTime, Long endTime, String artifactUri, LifecycleStage lifecycleStage, String parentRunId) {

    /**
     * Checks the required values and normalises absent strings to empty.
     *
     * @param runId the run id
     * @param runName the name
     * @param experimentId the experiment id
     * @param userId the user
     * @param status the status
     * @param startTime the start time
     * @param endTime the end time or null
     * @param artifactUri the artifact root
     * @param lifecycleStage the stage
     * @param parentRunId the parent run id or empty
     * @throws NullPointerException if the run id, experiment id, status or stage is null
     */
    public RunInfo {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(experimentId, "experimentId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lifecycleStage, "lifecycleStage");
        runName = runName == null ? "" : runName;
        userId = userId == null ? "" : userId;
        artifactUri = artifactUri == null ? "" : artifactUri;
        parentRunId = parentRunId == null ? "" : parentRunId;
    }

    /**
     * Returns a copy with another status and end time.
     *
     * @param newStatus the status
     * @param newEndTime the end time or null
     * @return the changed copy
     */
    public RunInfo withStatus(RunStatus newStatus, Long newEndTime) {
        return new RunInfo(runId, runName, experimentId, userId, newStatus, startTime, newEndTime, artifactUri,
                lifecycleStage, parentRunId);
    }

    /**
     * Returns a copy in another lifecycle stage.
     *
     * @param stage the stage
     * @return the changed copy
     */
    public RunInfo withLifecycleStage(LifecycleStage stage) {
        return new RunInfo(runId, runName, experimentId, userId, status, startTime, endTime, artifactUri, stage,
                parentRunId);
    }
}
