package dev.kiln.experiments;

import java.util.Locale;
import java.util.Optional;

/** What a filter or order-by identifier refers to: MLflow's entity types and their aliases. */
public enum EntityType {
    /** {@code metrics.} / {@code metric.}: the latest value of a metric. */
    METRIC("metric"),
    /** {@code params.} / {@code param.} / {@code parameters.} / {@code parameter.}. */
    PARAM("param"),
    /** {@code tags.} / {@code tag.}. */
    TAG("tag"),
    /** {@code attributes.} / {@code attribute.} / {@code attr.} / {@code run.}, or a bare key. */
    ATTRIBUTE("attribute"),
    /** {@code datasets.} / {@code dataset.}: name, digest or context of any dataset input. */
    DATASET("dataset");

    private final String label;

    EntityType(String label) {
        this.label = label;
    }

    /**
     * Returns the singular name used in messages.
     *
     * @return e.g. {@code metric}
     */
    public String label() {
        return label;
    }

    /**
     * Resolves a prefix, case-insensitively.
     *
     * @param prefix the text before the first dot
     * @return the type, or empty if the prefix is not one of MLflow's
     */
    public static Optional<EntityType> ofPrefix(String prefix) {
        return Optional.ofNullable(switch (prefix.toLowerCase(Locale.ROOT)) {
            case "metric", "metrics" -> METRIC;
            case "param", "params", "parameter", "parameters" -> PARAM;
            case "tag", "tags" -> TAG;
            case "attribute", "attributes", "attr", "run" -> ATTRIBUTE;
            case "dataset", "datasets" -> DATASET;
            default -> null;
        });
    }
}
