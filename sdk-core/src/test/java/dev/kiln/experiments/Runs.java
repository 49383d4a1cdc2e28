package dev.kiln.experiments;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds run records for tests. */
final class Runs {
    private String id;
    private String name = "";
    private RunStatus status = RunStatus.FINISHED;
    private long start = 1000;
    private Long end = 2000L;
    private String user = "alice";
    private LifecycleStage stage = LifecycleStage.ACTIVE;
    private final Map<String, Double> metrics = new HashMap<>();
    private final Map<String, String> params = new HashMap<>();
    private final Map<String, String> tags = new HashMap<>();
    private final List<DatasetInput> inputs = new ArrayList<>();

    private Runs(String id) {
        this.id = id;
    }

    static Runs run(String id) {
        return new Runs(id);
    }

    Runs name(String n) {
        name = n;
        return this;
    }

    Runs status(RunStatus s) {
        status = s;
        return this;
    }

    Runs start(long t) {
        start = t;
        return this;
    }

    Runs end(Long t) {
        end = t;
        return this;
    }

    Runs user(String u) {
        user = u;
        return this;
    }

    Runs deleted() {
        stage = LifecycleStage.DELETED;
        return this;
    }

    Runs metric(String k, double v) {
        metrics.put(k, v);
        return this;
    }

    Runs param(String k, String v) {
        params.put(k, v);
        return this;
    }

    Runs tag(String k, String v) {
        tags.put(k, v);
        return this;
    }

    Runs input(String table, long version, String context) {
        inputs.add(DatasetInput.of(table, version, context));
        return this;
    }

    RunRecord build() {
        return new RunRecord(new RunInfo(id, name, "1", user, status, start, end, "file:///a/" + id, stage, ""),
                new RunData(metrics, params, tags), inputs);
    }
}
