package dev.kiln.experiments;

import dev.kiln.InvalidArgumentException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to start a run: its experiment, name, parent, tags and initial status.
 *
 * @param experiment the experiment's name or id
 * @param runName the run's name, or empty to generate one
 * @param parentRunId the parent run for a nested run, or empty
 * @param tags tags to set at the start
 * @param status {@link RunStatus#RUNNING} (the default) or {@link RunStatus#SCHEDULED}
 * @param startTime the start time in milliseconds since the epoch, or 0 for now
 */
public record RunSpec(String experiment, String runName, String parentRunId, Map<String, String> tags,
        RunStatus status, long startTime) {

    /**
     * Checks and copies the values.
     *
     * @param experiment the experiment
     * @param runName the run name
     * @param parentRunId the parent run id
     * @param tags the tags
     * @param status the initial status
     * @param startTime the start time or 0
     * @throws InvalidArgumentException if the experiment is blank or the status is a terminal one
     */
    public RunSpec {
        if (experiment == null || experiment.isBlank()) {
            throw new InvalidArgumentException("A run needs an experiment; pass its name, e.g. RunSpec.builder(\"churn\").");
        }
        runName = runName == null ? "" : runName;
        parentRunId = parentRunId == null ? "" : parentRunId;
        tags = Map.copyOf(tags);
        status = status == null ? RunStatus.RUNNING : status;
        if (status.isTerminated()) {
            throw new InvalidArgumentException("A run cannot start as " + status + "; start it RUNNING or SCHEDULED.");
        }
    }

    /**
     * Starts describing a run of an experiment.
     *
     * @param experiment the experiment's name or id
     * @return a builder
     */
    public static Builder builder(String experiment) {
        return new Builder(experiment);
    }

    /** Builds a {@link RunSpec}. */
    public static final class Builder {
        private final String experiment;
        private String runName = "";
        private String parentRunId = "";
        private final Map<String, String> tags = new LinkedHashMap<>();
        private RunStatus status = RunStatus.RUNNING;
        private long startTime;

        private Builder(String experiment) {
            this.experiment = experiment;
        }

        /**
         * Names the run.
         *
         * @param name the run name
         * @return this builder
         */
        public Builder name(String name) {
            this.runName = name;
            return this;
        }

        /**
         * Nests the run under a parent (MLflow's tag {@code mlflow.parentRunId}).
         *
         * @param runId the parent run's id
         * @return this builder
         */
        public Builder parent(String runId) {
            this.parentRunId = runId;
            return this;
        }

        /**
         * Sets a tag at the start.
         *
         * @param key the tag key
         * @param value the tag value
         * @return this builder
         */
        public Builder tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        /**
         * Sets the initial status.
         *
         * @param initial {@link RunStatus#RUNNING} or {@link RunStatus#SCHEDULED}
         * @return this builder
         */
        public Builder status(RunStatus initial) {
            this.status = initial;
            return this;
        }

        /**
         * Sets the start time (for imports); the default is now.
         *
         * @param millis milliseconds since the epoch
         * @return this builder
         */
        public Builder startTime(long millis) {
            this.startTime = millis;
            return this;
        }

        /**
         * Builds the spec.
         *
         * @return the spec
         * @throws InvalidArgumentException if the experiment is blank or the status terminal
         */
        public RunSpec build() {
            return new RunSpec(experiment, runName, parentRunId, tags, status, startTime);
        }
    }
}
