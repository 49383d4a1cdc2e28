package dev.kiln.experiments;

import dev.kiln.InvalidArgumentException;
import dev.kiln.NotFoundException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A run handle: logging calls validate, then append to in-memory buffers under a short lock;
 * the buffers go to the store as one batch when {@value #FLUSH_THRESHOLD} values are pending, on
 * {@link #flush()}, and on {@link #close()}.
 */
final class CoreRun implements Run {

    /** Pending values that trigger a write (MLflow's per-call metric batch limit). */
    static final int FLUSH_THRESHOLD = 1000;

    private final CoreExperiments owner;
    private final TrackingStore store;
    private final String runId;
    private final String experimentId;
    private final String experimentName;
    private final Path artifactRoot;
    private final Object lock = new Object();
    private final Map<String, String> knownParams = new ConcurrentHashMap<>();
    private final Set<String> checkedKeys = ConcurrentHashMap.newKeySet();
    private List<MetricPoint> metrics = new ArrayList<>();
    private Map<String, String> params = new LinkedHashMap<>();
    private Map<String, String> tags = new LinkedHashMap<>();
    private List<DatasetInput> inputs = new ArrayList<>();
    private int pending;
    /** What this handle handed to the store, for the run's audit row; counted per batch, not per value. */
    private long metricsLogged;
    private long paramsLogged;
    private long tagsLogged;
    private volatile RunStatus endedAs;
    private volatile Throwable failure;

    CoreRun(CoreExperiments owner, TrackingStore store, RunRecord record, String experimentName, Path artifactRoot) {
        this.owner = owner;
        this.store = store;
        this.runId = record.runId();
        this.experimentId = record.info().experimentId();
        this.experimentName = experimentName;
        this.artifactRoot = artifactRoot;
        knownParams.putAll(record.data().params());
    }

    @Override
    public String id() {
        return runId;
    }

    String experimentName() {
        return experimentName;
    }

    @Override
    public RunInfo info() {
        return store.run(runId).orElseThrow(() -> new NotFoundException("Run '" + runId + "' no longer exists.")).info();
    }

    @Override
    public RunRecord record() {
        drain();
        return store.run(runId).orElseThrow(() -> new NotFoundException("Run '" + runId + "' no longer exists."));
    }

    private void checkOpen() {
        RunStatus s = endedAs;
        if (s != null) {
            throw new InvalidArgumentException("Run " + runId + " has ended (" + s + "); log to it again after "
                    + "experiments.resumeRun(\"" + runId + "\").");
        }
    }

    private String key(String kind, String key) {
        if (key != null && checkedKeys.contains(key)) {
            return key;
        }
        TrackingRules.key(kind, key);
        if (checkedKeys.size() < 10_000) {
            checkedKeys.add(key);
        }
        return key;
    }

    @Override
    public void logParam(String key, String value) {
        logParams(Map.of(key("param", key), TrackingRules.paramValue(key, value)));
    }

    @Override
    public void logParams(Map<String, String> values) {
        checkOpen();
        for (Map.Entry<String, String> e : values.entrySet()) {
            key("param", e.getKey());
            TrackingRules.paramValue(e.getKey(), e.getValue());
            String old = knownParams.get(e.getKey());
            if (old != null && !old.equals(e.getValue())) {
                throw InMemoryTrackingStore.ParamConflict.of(runId, e.getKey(), old, e.getValue());
            }
        }
        boolean full;
        synchronized (lock) {
            checkOpen();
            for (Map.Entry<String, String> e : values.entrySet()) {
                String old = knownParams.putIfAbsent(e.getKey(), e.getValue());
                if (old != null && !old.equals(e.getValue())) {
                    throw InMemoryTrackingStore.ParamConflict.of(runId, e.getKey(), old, e.getValue());
                }
                if (old == null) {
                    params.put(e.getKey(), e.getValue());
                    pending++;
                }
            }
            full = pending >= FLUSH_THRESHOLD;
        }
        if (full) {
            drain();
        }
    }

    @Override
    public void logMetric(String key, double value) {
        logMetric(key, value, 0, System.currentTimeMillis());
    }

    @Override
    public void logMetric(String key, double value, long step) {
        logMetric(key, value, step, System.currentTimeMillis());
    }

    @Override
    public void logMetric(String key, double value, long step, long timestamp) {
        key("metric", key);
        MetricPoint point = new MetricPoint(key, value, step, timestamp);
        boolean full;
        synchronized (lock) {
            checkOpen();
            metrics.add(point);
            full = ++pending >= FLUSH_THRESHOLD;
        }
        if (full) {
            drain();
        }
    }

    @Override
    public void logMetrics(Map<String, Double> values, long step) {
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            logMetric(e.getKey(), e.getValue(), step, now);
        }
    }

    @Override
    public void setTag(String key, String value) {
        setTags(Map.of(key("tag", key), TrackingRules.tagValue(key, value)));
    }

    @Override
    public void setTags(Map<String, String> values) {
        checkOpen();
        values.forEach((k, v) -> TrackingRules.tagValue(key("tag", k), v));
        synchronized (lock) {
            checkOpen();
            tags.putAll(values);
            pending += values.size();
        }
    }

    /** Sets a tag even after the run ended (for the error tag written while ending). */
    void setTagUnchecked(String key, String value) {
        synchronized (lock) {
            tags.put(key, value);
            pending++;
        }
    }

    @Override
    public void deleteTag(String key) {
        checkOpen();
        drain();
        RunRecord r = store.run(runId).orElseThrow();
        if (!r.data().tags().containsKey(key)) {
            throw new NotFoundException("Run " + runId + " has no tag '" + key + "'.");
        }
        synchronized (lock) {
            store.logBatch(runId, new TrackingStore.LogBatch(List.of(), Map.of(), Map.of(), List.of(key), List.of()));
        }
    }

    @Override
    public void logInput(DatasetInput input) {
        checkOpen();
        synchronized (lock) {
            checkOpen();
            inputs.add(input);
            pending++;
        }
    }

    @Override
    public void logArtifact(Path localFile, String artifactPath) {
        checkOpen();
        owner.artifacts().copyFile(artifactRoot, localFile, artifactPath);
        owner.artifactLogged(this, artifactPath == null || artifactPath.isEmpty() ? String.valueOf(localFile.getFileName())
                : artifactPath + "/" + localFile.getFileName());
    }

    @Override
    public void logArtifacts(Path localDir, String artifactPath) {
        checkOpen();
        owner.artifacts().copyDirectory(artifactRoot, localDir, artifactPath);
        owner.artifactLogged(this, artifactPath == null || artifactPath.isEmpty() ? "." : artifactPath);
    }

    @Override
    public void logBytes(String artifactFile, byte[] content) {
        checkOpen();
        owner.artifacts().write(artifactRoot, artifactFile, content);
        owner.artifactLogged(this, artifactFile);
    }

    @Override
    public void logText(String artifactFile, String text) {
        logBytes(artifactFile, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<ArtifactInfo> listArtifacts(String path) {
        return owner.artifacts().list(artifactRoot, path);
    }

    @Override
    public InputStream openArtifact(String path) {
        return owner.artifacts().open(artifactRoot, path);
    }

    @Override
    public Run startNestedRun(String runName) {
        return owner.startRun(RunSpec.builder(experimentId).name(runName).parent(runId).build());
    }

    @Override
    public void flush() {
        drain();
        store.flush();
    }

    /** Hands the buffered values to the store (visible to this process's reads; durable after the store's flush). */
    void drain() {
        synchronized (lock) {
            if (pending == 0 && metrics.isEmpty() && params.isEmpty() && tags.isEmpty() && inputs.isEmpty()) {
                return;
            }
            TrackingStore.LogBatch batch = new TrackingStore.LogBatch(metrics, params, tags, List.of(), inputs);
            store.logBatch(runId, batch);
            metricsLogged += batch.metrics().size();
            paramsLogged += batch.params().size();
            tagsLogged += batch.tags().size();
            metrics = new ArrayList<>();
            params = new LinkedHashMap<>();
            tags = new LinkedHashMap<>();
            inputs = new ArrayList<>();
            pending = 0;
        }
    }

    @Override
    public void fail(Throwable error) {
        failure = error;
    }

    @Override
    public void end(RunStatus status) {
        if (!status.isTerminated()) {
            throw new InvalidArgumentException("A run ends FINISHED, FAILED or KILLED, not " + status + ".");
        }
        synchronized (lock) {
            if (endedAs != null) {
                return;
            }
            Throwable t = failure;
            if (t != null && status != RunStatus.FINISHED) {
                String text = t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
                setTagUnchecked(CoreExperiments.TAG_ERROR, text.length() > TrackingRules.MAX_TAG_VALUE_LENGTH
                        ? text.substring(0, TrackingRules.MAX_TAG_VALUE_LENGTH) : text);
            }
            drain();
            owner.finish(this, status, Map.of("metricPoints", String.valueOf(metricsLogged), "params", String.valueOf(paramsLogged),
                    "tags", String.valueOf(tagsLogged)));
            endedAs = status;
        }
    }

    boolean isOpen() {
        return endedAs == null;
    }

    @Override
    public void close() {
        if (endedAs == null) {
            Throwable t = failure;
            end(t == null ? RunStatus.FINISHED : t instanceof InterruptedException ? RunStatus.KILLED : RunStatus.FAILED);
        }
    }

    @Override
    public String toString() {
        return "Run[" + runId + "]";
    }
}
