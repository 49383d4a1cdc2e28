package dev.kiln.models;

import dev.kiln.InvalidArgumentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to register as a new model version: the model (a run artifact or a file), and the facts
 * kept with it. Built with {@link #builder(String)}.
 *
 * <pre>{@code
 * ModelVersion v = kiln.models().register(VersionSpec.builder("churn")
 *         .fromRun("runs:/4f2a.../model/model.json")
 *         .description("weekly retrain")
 *         .inputExample(Map.of("tenure", 12, "plan", "pro"))
 *         .lineage(lineage)
 *         .build());
 * }</pre>
 *
 * @param modelName the registered model (created if missing)
 * @param source a {@code runs:/} URI, or null when {@code file} is set
 * @param file an XGBoost model file (JSON or UBJSON), or null when {@code source} is set
 * @param description the version's description, or empty
 * @param tags the version's tags
 * @param inputExample an example input row, or empty
 * @param expectedFeatures the feature names the model must have, in order (for example the
 *     training set's columns), or empty to accept the model's own
 * @param lineage what the model was trained on
 */
public record VersionSpec(String modelName, String source, Path file, String description, Map<String, String> tags,
        Map<String, Object> inputExample, List<String> expectedFeatures, TrainingLineage lineage) {

    /**
     * Checks and copies the parts.
     *
     * @param modelName the model name
     * @param source the run URI
     * @param file the model file
     * @param description the description
     * @param tags the tags
     * @param inputExample the input example
     * @param expectedFeatures the expected feature names
     * @param lineage the lineage
     * @throws InvalidArgumentException if the name is invalid or not exactly one of source and file is set
     */
    public VersionSpec {
        ModelUri.checkName(modelName);
        if ((source == null) == (file == null)) {
            throw new InvalidArgumentException("A model version comes from a run artifact (fromRun(\"runs:/ID/PATH\")) or a model "
                    + "file (fromFile(path)): give exactly one.");
        }
        if (source != null && ModelUri.parse(source).kind() != ModelUri.Kind.RUN) {
            throw new InvalidArgumentException("'" + source + "' is not a run artifact URI: use runs:/RUN_ID/PATH, or fromFile for a file.");
        }
        description = description == null ? "" : description;
        tags = Map.copyOf(tags);
        inputExample = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputExample));
        expectedFeatures = List.copyOf(expectedFeatures);
        lineage = lineage == null ? TrainingLineage.NONE : lineage;
    }

    /**
     * Starts a spec for a model.
     *
     * @param modelName the registered model name
     * @return a new builder
     */
    public static Builder builder(String modelName) {
        return new Builder(modelName);
    }

    /** Builds a {@link VersionSpec}; not thread-safe. */
    public static final class Builder {
        private final String modelName;
        private String source;
        private Path file;
        private String description = "";
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final Map<String, Object> inputExample = new LinkedHashMap<>();
        private final List<String> expectedFeatures = new ArrayList<>();
        private TrainingLineage lineage = TrainingLineage.NONE;

        private Builder(String modelName) {
            this.modelName = modelName;
        }

        /**
         * Takes the model from a run artifact.
         *
         * @param runUri {@code runs:/<run_id>/<path>}
         * @return this builder
         */
        public Builder fromRun(String runUri) {
            this.source = runUri;
            return this;
        }

        /**
         * Takes the model from an XGBoost file (copied into the workspace).
         *
         * @param modelFile the JSON or UBJSON model
         * @return this builder
         */
        public Builder fromFile(Path modelFile) {
            this.file = modelFile;
            return this;
        }

        /**
         * Sets the description.
         *
         * @param text the description
         * @return this builder
         */
        public Builder description(String text) {
            this.description = text;
            return this;
        }

        /**
         * Adds a tag.
         *
         * @param key the key
         * @param value the value
         * @return this builder
         */
        public Builder tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        /**
         * Sets an example input row, checked against the model's features at registration.
         *
         * @param row feature name to value (number, boolean, category name or null)
         * @return this builder
         */
        public Builder inputExample(Map<String, ?> row) {
            inputExample.clear();
            inputExample.putAll(row);
            return this;
        }

        /**
         * Requires the model's features to be exactly these names, in this order.
         *
         * @param names the feature names
         * @return this builder
         */
        public Builder expectFeatures(List<String> names) {
            expectedFeatures.clear();
            expectedFeatures.addAll(names);
            return this;
        }

        /**
         * Records what the model was trained on.
         *
         * @param trainingLineage the lineage
         * @return this builder
         */
        public Builder lineage(TrainingLineage trainingLineage) {
            this.lineage = trainingLineage;
            return this;
        }

        /**
         * Builds the spec.
         *
         * @return the spec
         * @throws InvalidArgumentException if the name is invalid or the model source is missing or doubled
         */
        public VersionSpec build() {
            return new VersionSpec(modelName, source, file, description, tags, inputExample, expectedFeatures, lineage);
        }
    }
}
