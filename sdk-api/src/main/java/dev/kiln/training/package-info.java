/**
 * Training models from lakehouse data inside a tracked run: every parameter, every boosting round's
 * evaluation metrics, the input tables with their versions, feature importance and the model itself
 * are logged to the run; hyper-parameter searches run each trial as a nested run.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.find(kiln.lakehouse());
 * try (Run run = kiln.experiments().startRun("churn")) {
 *     TrainedModel model = trainer.train(run, TrainingSpec.builder(TrainingData.table("ml.churn_training").label("churned").build())
 *             .param("objective", "binary:logistic").param("max_depth", 6).rounds(200).earlyStoppingRounds(20).build());
 * }
 * }</pre>
 */
package dev.kiln.training;
