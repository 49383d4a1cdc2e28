package dev.kiln.cli;

import dev.kiln.InvalidArgumentException;
import dev.kiln.Kiln;
import dev.kiln.experiments.Run;
import dev.kiln.training.TrainedModel;
import dev.kiln.training.Trainer;
import dev.kiln.training.TrainingData;
import dev.kiln.training.TrainingSpec;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kiln train}: trains an XGBoost model from a lakehouse table inside a new run. */
@Command(name = "train", description = "Train an XGBoost model from a lakehouse table in a new run.", mixinStandardHelpOptions = true)
final class TrainCommand implements Callable<Integer> {
    @ParentCommand
    KilnCli root;
    @Spec
    CommandSpec spec;
    @Option(names = "--experiment", required = true, description = "The experiment to log the run to (created if missing).")
    String experiment;
    @Option(names = "--table", required = true, description = "The training table, schema.table.")
    String table;
    @Option(names = "--label", required = true, description = "The label column.")
    String label;
    @Option(names = "--features", split = ",", description = "Feature columns (default: every other column).")
    List<String> features = List.of();
    @Option(names = "--param", description = "An XGBoost parameter, k=v (repeatable).")
    List<String> params = List.of();
    @Option(names = "--rounds", defaultValue = "100", description = "Boosting rounds (default 100).")
    int rounds;
    @Option(names = "--early-stopping", defaultValue = "0", description = "Stop after this many rounds without improvement.")
    int earlyStopping;
    @Option(names = "--eval-fraction", defaultValue = "0.2", description = "Share of rows held out for evaluation (default 0.2).")
    double evalFraction;
    @Option(names = "--no-train-metrics", description = "Evaluate only the held-out rows each round, not the training rows too "
            + "(saves a pass over the training rows per round).")
    boolean noTrainMetrics;
    @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default text): jsonl prints run_id, metrics and model_uri.")
    String format;

    @Override
    public Integer call() {
        ModelsCommand.checkFormat(spec, format, "text", "jsonl");
        TrainingSpec.Builder builder = TrainingSpec.builder(TrainingData.table(table).label(label).features(features)
                .evalFraction(evalFraction, 42).build()).rounds(rounds).earlyStoppingRounds(earlyStopping)
                .evaluateTrainingSet(!noTrainMetrics);
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new InvalidArgumentException("--param takes key=value, not '" + p + "'.");
            }
            builder.param(p.substring(0, eq), p.substring(eq + 1));
        }
        TrainingSpec trainingSpec = builder.build(); // a spec refused here starts no run
        try (Kiln kiln = root.open()) {
            kiln.experiments().getOrCreateExperiment(experiment);
            try (Run run = kiln.experiments().startRun(experiment)) {
                TrainedModel model;
                try {
                    model = Trainer.find(kiln.lakehouse()).train(run, trainingSpec);
                } catch (RuntimeException e) {
                    run.fail(e);
                    throw e;
                }
                if (format.equals("jsonl")) {
                    com.fasterxml.jackson.databind.node.ObjectNode o = ModelsCommand.JSON.createObjectNode().put("run_id", model.runId())
                            .put("rounds", model.rounds()).put("best_iteration", model.bestIteration())
                            .put("model_uri", "runs:/" + model.runId() + "/" + model.artifactPath());
                    model.metrics().forEach(o.putObject("metrics")::put);
                    spec.commandLine().getOut().println(o);
                    return 0;
                }
                spec.commandLine().getOut().printf("run %s: %d rounds, best iteration %d, %s; model at runs:/%s/%s%n", model.runId(),
                        model.rounds(), model.bestIteration(), model.metrics(), model.runId(), model.artifactPath());
            }
        }
        return 0;
    }
}
