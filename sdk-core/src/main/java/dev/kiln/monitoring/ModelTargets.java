package dev.kiln.monitoring;

import dev.kiln.InvalidArgumentException;
import dev.kiln.NotFoundException;
import dev.kiln.experiments.DatasetInput;
import dev.kiln.experiments.Experiments;
import dev.kiln.models.ModelRegistry;
import dev.kiln.models.ModelVersion;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns a monitor spec whose target is a {@code models:/} URI into one over the model's inference
 * table, filtered to the version, with the version's training data as the default baseline.
 */
final class ModelTargets {
    private static final String PREFIX = "models:/";

    private final ModelRegistry models;
    private final Supplier<Experiments> experiments;

    ModelTargets(ModelRegistry models, Supplier<Experiments> experiments) {
        this.models = models;
        this.experiments = experiments;
    }

    static boolean isModelUri(String target) {
        return target.startsWith(PREFIX);
    }

    /** Checks a table target has a baseline; resolves a model target (null resolver: tables only). */
    static MonitorSpec resolve(MonitorSpec spec, ModelTargets resolver) {
        if (!isModelUri(spec.target())) {
            if (spec.baseline() == null) {
                throw new InvalidArgumentException("The monitor of " + spec.target() + " has no baseline; pass one, e.g. "
                        + "MonitorSpec.builder(\"" + spec.target() + "\", \"ml.training_set@3\") or --baseline ml.training_set@3.");
            }
            return spec;
        }
        if (resolver == null) {
            throw new InvalidArgumentException("Monitor target " + spec.target() + " is a model URI, which needs the workspace's "
                    + "registry: use kiln.monitoring() rather than a CoreMonitoring built from a lakehouse alone.");
        }
        return resolver.resolve(spec);
    }

    private MonitorSpec resolve(MonitorSpec spec) {
        String uri = spec.target();
        String rest = uri.substring(PREFIX.length());
        boolean pinned = rest.contains("/") || rest.contains("@");
        ModelVersion version = pinned ? models.resolve(uri) : latest(rest);
        String filter = pinned ? "model_version = " + version.version() : null;
        if (spec.filter() != null) {
            filter = filter == null ? spec.filter() : "(" + filter + ") AND (" + spec.filter() + ")";
        }
        String baseline = spec.baseline() != null ? spec.baseline() : trainingData(version);
        return new MonitorSpec(InferenceLogger.defaultTable(version.modelName()), baseline, spec.timeColumn(), spec.window(),
                spec.windowEnd(), spec.features(), spec.predictionColumn(), spec.labelColumn(), spec.bins(), spec.thresholds(),
                spec.metricsTable(), filter);
    }

    private ModelVersion latest(String name) {
        if (name.isEmpty()) {
            throw new InvalidArgumentException("Model URI models:/ names no model; write models:/NAME, models:/NAME/VERSION or models:/NAME@ALIAS.");
        }
        return models.versions(name).stream().max(Comparator.comparingLong(ModelVersion::version))
                .orElseThrow(() -> new NotFoundException("Model " + name + " has no versions to monitor; register one first."));
    }

    /** The table version the model was trained on: its run's single {@code train} input, else its lineage's training set. */
    private String trainingData(ModelVersion version) {
        if (version.runId() != null) {
            // one train input is the table trained on; several are a training set's spine and feature tables
            List<DatasetInput> train = experiments.get().getRun(version.runId()).inputs().stream()
                    .filter(i -> DatasetInput.TRAIN.equals(i.context())).toList();
            if (train.size() == 1) {
                return train.get(0).name() + "@" + train.get(0).version();
            }
        }
        String trainingSet = version.lineage() == null ? null : version.lineage().trainingSet();
        if (trainingSet != null) {
            try {
                return TableRef.parse(trainingSet).toString();
            } catch (InvalidArgumentException notATable) {
                // a query or a description, not a table name: fall through to the error
            }
        }
        throw new InvalidArgumentException("Model version " + version.modelName() + "/" + version.version()
                + " records no training table (no '" + DatasetInput.TRAIN + "' input on its run and no training-set table in its lineage); "
                + "pass a baseline, e.g. --baseline ml.training_set@3.");
    }
}
