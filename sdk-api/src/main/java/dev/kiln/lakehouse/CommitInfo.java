package dev.kiln.lakehouse;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of a table's history: what a commit did, who made it, and with which engine.
 *
 * @param version the table version the commit created
 * @param timestamp when it was committed
 * @param operation the operation, as Delta names it ({@code WRITE}, {@code DELETE}, {@code MERGE}, {@code OPTIMIZE}...)
 * @param principal who made it, or empty if the writer did not say
 * @param engine the engine that wrote it, e.g. {@code Kiln/0.1.0 DuckDB/1.4}
 * @param operationParameters the operation's parameters (mode, predicate...)
 * @param operationMetrics counts such as {@code numOutputRows}, {@code numAddedFiles}, {@code numRemovedFiles}
 */
public record CommitInfo(long version, Instant timestamp, String operation, String principal, String engine,
        Map<String, String> operationParameters, Map<String, Long> operationMetrics) {

    /**
     * Copies the maps.
     *
     * @param version the version
     * @param timestamp the time
     * @param operation the operation
     * @param principal the principal
     * @param engine the engine
     * @param operationParameters the parameters
     * @param operationMetrics the metrics
     */
    public CommitInfo {
        operation = operation == null ? "" : operation;
        principal = principal == null ? "" : principal;
        engine = engine == null ? "" : engine;
        operationParameters = Map.copyOf(operationParameters);
        operationMetrics = Map.copyOf(operationMetrics);
    }
}
