package dev.kiln.experiments;

/** Which lifecycle stages a listing or search includes, as MLflow's {@code ViewType}. */
public enum ViewType {
    /** Only active experiments or runs (the default). */
    ACTIVE_ONLY,
    /** Only deleted experiments or runs. */
    DELETED_ONLY,
    /** Both. */
    ALL;

    /**
     * Tells whether an object in this stage is included.
     *
     * @param stage the object's lifecycle stage
     * @return true if this view includes it
     */
    public boolean includes(LifecycleStage stage) {
        return switch (this) {
            case ACTIVE_ONLY -> stage == LifecycleStage.ACTIVE;
            case DELETED_ONLY -> stage == LifecycleStage.DELETED;
            case ALL -> true;
        };
    }
}
