package dev.kiln.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs as JSON objects in MLflow's field names, one per line for {@code runs search --format jsonl}:
 * {@code run_id}, {@code run_name}, {@code experiment_id}, {@code status}, {@code start_time},
 * {@code end_time} (null while running), {@code user_id}, {@code lifecycle_stage},
 * {@code parent_run_id}, {@code params}, {@code metrics} (latest values), {@code tags} and
 * {@code inputs}. Keys are sorted; NaN and infinite metrics are written as the strings
 * {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}, since JSON has no such numbers.
 */
public final class RunJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RunJson() {
    }

    /**
     * Renders a run as a JSON object.
     *
     * @param run the run
     * @return the object
     */
    public static ObjectNode toJson(RunRecord run) {
        RunInfo info = run.info();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("run_id", info.runId());
        o.put("run_name", info.runName());
        o.put("experiment_id", info.experimentId());
        o.put("status", info.status().name());
        o.put("start_time", info.startTime());
        if (info.endTime() == null) {
            o.putNull("end_time");
        } else {
            o.put("end_time", info.endTime());
        }
        o.put("user_id", info.userId());
        o.put("lifecycle_stage", info.lifecycleStage().name().toLowerCase(java.util.Locale.ROOT));
        o.put("artifact_uri", info.artifactUri());
        if (!info.parentRunId().isEmpty()) {
            o.put("parent_run_id", info.parentRunId());
        }
        ObjectNode params = o.putObject("params");
        new TreeMap<>(run.data().params()).forEach(params::put);
        ObjectNode metrics = o.putObject("metrics");
        for (Map.Entry<String, Double> m : new TreeMap<>(run.data().metrics()).entrySet()) {
            double v = m.getValue();
            if (Double.isFinite(v)) {
                metrics.put(m.getKey(), v);
            } else {
                metrics.put(m.getKey(), Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
            }
        }
        ObjectNode tags = o.putObject("tags");
        new TreeMap<>(run.data().tags()).forEach(tags::put);
        var inputs = o.putArray("inputs");
        for (DatasetInput in : run.inputs()) {
            inputs.addObject().put("name", in.name()).put("version", in.version()).put("context", in.context())
                    .put("digest", in.digest());
        }
        return o;
    }

    /**
     * Renders a run as one line of JSON (no line breaks inside).
     *
     * @param run the run
     * @return the line, without a trailing newline
     */
    public static String toJsonLine(RunRecord run) {
        try {
            return MAPPER.writeValueAsString(toJson(run));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot render run " + run.runId() + " as JSON", e);
        }
    }
}
