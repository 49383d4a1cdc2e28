/**
 * Experiment tracking with MLflow's semantics: experiments hold runs; a run logs immutable params,
 * metrics with step and time, tags, dataset inputs and artifacts, and can be searched with MLflow's
 * {@code search_runs} filter grammar.
 *
 * <pre>{@code
 * Experiments experiments = kiln.experiments();
 * experiments.run("churn", run -> {
 *     run.logParam("max_depth", "6");
 *     run.logMetric("auc", 0.91, 10);
 * });   // FINISHED, or FAILED (and re-thrown) when the body throws
 *
 * RunPage best = experiments.searchRuns(RunQuery.builder("churn")
 *         .filter("metrics.auc > 0.8 and params.max_depth = '6'")
 *         .orderBy("metrics.auc DESC")
 *         .maxResults(10)
 *         .build());
 * }</pre>
 */
package dev.kiln.experiments;
