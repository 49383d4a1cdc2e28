package dev.kiln.models;

import dev.kiln.Principal;
import dev.kiln.predict.Signature;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One immutable version of a registered model. Its model file, signature, source and lineage never
 * change; its description, tags and aliases may.
 *
 * @param modelName the registered model's current name
 * @param version the version number, from 1
 * @param source where the model came from: a {@code runs:/} URI or the original file path
 * @param runId the run that produced it, or null
 * @param artifact the model file, under {@code <root>/artifacts/models/}
 * @param signature the model's inputs and output shape, read from the model at registration
 * @param inputExample an example input row (feature name to value), or an empty map
 * @param description the description, or empty
 * @param tags the tags
 * @param aliases the aliases pointing at this version
 * @param creator who registered it
 * @param createdAt when it was registered
 * @param lineage what it was trained on
 */
public record ModelVersion(String modelName, long version, String source, String runId, Path artifact, Signature signature,
        Map<String, Object> inputExample, String description, Map<String, String> tags, List<String> aliases, Principal creator,
        Instant createdAt, TrainingLineage lineage) {
    /**
     * Copies the collections.
     *
     * @param modelName the model name
     * @param version the version
     * @param source the source
     * @param runId the run id
     * @param artifact the model file
     * @param signature the signature
     * @param inputExample the input example
     * @param description the description
     * @param tags the tags
     * @param aliases the aliases
     * @param creator the creator
     * @param createdAt the creation time
     * @param lineage the lineage
     */
    public ModelVersion {
        inputExample = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputExample));
        description = description == null ? "" : description;
        tags = Map.copyOf(tags);
        aliases = List.copyOf(aliases);
        lineage = lineage == null ? TrainingLineage.NONE : lineage;
    }

    /**
     * Returns the URI of this version.
     *
     * @return {@code models:/name/version}
     */
    public ModelUri uri() {
        return ModelUri.version(modelName, version);
    }
}
