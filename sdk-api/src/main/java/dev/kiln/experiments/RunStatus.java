package dev.kiln.experiments;

/** The state of a run, as MLflow names it. */
public enum RunStatus {
    /** The run is in progress. */
    RUNNING,
    /** The run is planned but has not started (e.g. a queued trial). */
    SCHEDULED,
    /** The run ended successfully. */
    FINISHED,
    /** The run ended with an error. */
    FAILED,
    /** The run was stopped before it could finish. */
    KILLED;

    /**
     * Tells whether the run has ended.
     *
     * @return true for {@link #FINISHED}, {@link #FAILED} and {@link #KILLED}
     */
    public boolean isTerminated() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }
}
