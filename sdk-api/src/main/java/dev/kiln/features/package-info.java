/**
 * The feature store: feature tables (Delta tables with primary keys and an event time), point-in-time
 * correct training sets, and an in-process online store for lookups by key.
 *
 * <pre>{@code
 * FeatureStore store = kiln.features();
 * store.createTable(FeatureTableDefinition.builder("fs.customer")
 *         .primaryKeys("customer_id").timestampKey("ts").description("Spend per customer").build(),
 *     "SELECT customer_id, ts, sum(amount) AS spend_30d FROM sales.orders GROUP BY ALL");
 * TrainingSet set = store.trainingSet(TrainingSetSpec.builder(Spine.table("ml.labels", "ts"))
 *         .lookup(FeatureLookup.builder("fs.customer").features("spend_30d").lookback(Duration.ofDays(30)).build())
 *         .build());
 * set.writeTo("ml.train");
 * }</pre>
 *
 * <p>The point-in-time rules: for a spine row with keys {@code k} and time {@code t}, the candidates are the
 * feature rows with keys {@code k} and event time {@code e <= t} (and {@code e >= t - L} with a lookback
 * {@code L}; and {@code created <= t} in "as known at the time" mode). The winner has the greatest
 * {@code e}, then the greatest created time, then the greatest feature values (compared column by column,
 * NULL lowest), so a table version always gives the same answer. Its values are taken as they are: a NULL
 * stays NULL. Without a candidate the features are NULL. The spine keeps its rows and their order.
 * Timestamps are compared in UTC; a timestamp without zone is read as UTC.
 */
package dev.kiln.features;
