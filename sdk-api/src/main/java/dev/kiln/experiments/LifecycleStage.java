package dev.kiln.experiments;

/** Whether an experiment or run is live or soft-deleted (and can still be restored). */
public enum LifecycleStage {
    /** Live: listed and searched by default. */
    ACTIVE,
    /** Soft-deleted: hidden by default, restorable. */
    DELETED
}
