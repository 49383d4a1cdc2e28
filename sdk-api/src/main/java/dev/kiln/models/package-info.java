/**
 * The model registry: registered models, immutable versions with signature and lineage, aliases
 * such as {@code @champion}, {@code models:/} and {@code runs:/} URIs, and predictors that follow an
 * alias as it moves.
 *
 * <pre>{@code
 * ModelRegistry models = kiln.models();
 * ModelVersion v = models.register(VersionSpec.builder("churn")
 *         .fromRun("runs:/" + runId + "/model/model.json")
 *         .lineage(TrainingLineage.builder()
 *                 .spine(TableRef.of("sales.labels", 4))
 *                 .featureTable(TableRef.of("fs.customer", 2), TableRef.of("sales.orders", 7))
 *                 .build())
 *         .build());
 * models.setAlias("churn", "champion", v.version());
 * Predictor live = models.load("models:/churn@champion");
 * System.out.println(models.lineage("models:/churn@champion").toText());
 * }</pre>
 */
package dev.kiln.models;
