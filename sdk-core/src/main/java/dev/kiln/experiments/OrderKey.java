package dev.kiln.experiments;

/**
 * One key of an order-by list.
 *
 * @param type the entity type (not {@link EntityType#DATASET})
 * @param key the key, aliases resolved
 * @param ascending true for ASC (the default), false for DESC
 */
public record OrderKey(EntityType type, String key, boolean ascending) {

    /** MLflow's default order, applied after the requested keys: {@code start_time DESC}. */
    public static final OrderKey START_TIME_DESC = new OrderKey(EntityType.ATTRIBUTE, "start_time", false);
    /** MLflow's final tie-breaker: {@code run_id ASC}. */
    public static final OrderKey RUN_ID_ASC = new OrderKey(EntityType.ATTRIBUTE, "run_id", true);
}
