package dev.kiln.experiments;

import dev.kiln.AlreadyExistsException;
import dev.kiln.InvalidArgumentException;
import dev.kiln.NotFoundException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tracking state in memory: experiments and runs in maps, each run's record rebuilt on write so
 * that searches read ready-made {@link RunRecord}s without locking.
 */
final class InMemoryTrackingStore implements TrackingStore {

    private final Object experimentLock = new Object();
    private final Map<String, Experiment> experimentsById = new ConcurrentHashMap<>();
    private final Map<String, String> idsByName = new ConcurrentHashMap<>();
    private final AtomicLong nextExperimentId = new AtomicLong(1);
    private final Map<String, StoredRun> runs = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> runsByExperiment = new ConcurrentHashMap<>();

    /** One run: its current record and its metric histories; guarded by itself. */
    private static final class StoredRun {
        volatile RunRecord record;
        final Map<String, List<MetricPoint>> history = new HashMap<>();
        final Map<String, MetricPoint> latest = new HashMap<>();

        StoredRun(RunRecord record) {
            this.record = record;
        }
    }

    @Override
    public Experiment createExperiment(String name, Map<String, String> tags, long now,
            java.util.function.Function<String, String> artifactLocation) {
        synchronized (experimentLock) {
            if (idsByName.containsKey(name)) {
                throw new AlreadyExistsException("Experiment '" + name + "' already exists"
                        + (experimentByName(name).map(e -> e.lifecycleStage() == LifecycleStage.DELETED).orElse(false)
                                ? " (deleted); restore it with restoreExperiment or choose another name." : "."));
            }
            String id = Long.toString(nextExperimentId.getAndIncrement());
            Experiment e = new Experiment(id, name, artifactLocation.apply(id), LifecycleStage.ACTIVE, tags, now, now);
            experimentsById.put(id, e);
            idsByName.put(name, id);
            runsByExperiment.put(id, ConcurrentHashMap.newKeySet());
            return e;
        }
    }

    @Override
    public Optional<Experiment> experimentById(String id) {
        return Optional.ofNullable(experimentsById.get(id));
    }

    @Override
    public Optional<Experiment> experimentByName(String name) {
        String id = idsByName.get(name);
        return id == null ? Optional.empty() : experimentById(id);
    }

    @Override
    public List<Experiment> experiments() {
        return List.copyOf(experimentsById.values());
    }

    @Override
    public void setExperimentStage(String experimentId, LifecycleStage stage, long now) {
        synchronized (experimentLock) {
            Experiment e = experiment(experimentId);
            experimentsById.put(experimentId, new Experiment(e.experimentId(), e.name(), e.artifactLocation(), stage,
                    e.tags(), e.creationTime(), now));
        }
        for (String runId : runsByExperiment.getOrDefault(experimentId, Set.of())) {
            StoredRun s = runs.get(runId);
            synchronized (s) {
                RunRecord r = s.record;
                s.record = new RunRecord(r.info().withLifecycleStage(stage), r.data(), r.inputs());
            }
        }
    }

    @Override
    public void setExperimentTag(String experimentId, String key, String value, long now) {
        synchronized (experimentLock) {
            Experiment e = experiment(experimentId);
            Map<String, String> tags = new LinkedHashMap<>(e.tags());
            tags.put(key, value);
            experimentsById.put(experimentId, new Experiment(e.experimentId(), e.name(), e.artifactLocation(),
                    e.lifecycleStage(), tags, e.creationTime(), now));
        }
    }

    private Experiment experiment(String id) {
        Experiment e = experimentsById.get(id);
        if (e == null) {
            throw new NotFoundException("Experiment with id '" + id + "' does not exist.");
        }
        return e;
    }

    @Override
    public void createRun(RunInfo info, Map<String, String> tags) {
        experiment(info.experimentId());
        StoredRun s = new StoredRun(new RunRecord(info, new RunData(Map.of(), Map.of(), tags), List.of()));
        if (runs.putIfAbsent(info.runId(), s) != null) {
            throw new AlreadyExistsException("Run '" + info.runId() + "' already exists.");
        }
        runsByExperiment.get(info.experimentId()).add(info.runId());
    }

    @Override
    public Optional<RunRecord> run(String runId) {
        StoredRun s = runs.get(runId);
        return s == null ? Optional.empty() : Optional.of(s.record);
    }

    private StoredRun stored(String runId) {
        StoredRun s = runs.get(runId);
        if (s == null) {
            throw new NotFoundException("Run '" + runId + "' does not exist.");
        }
        return s;
    }

    @Override
    public void updateRunInfo(RunInfo info) {
        StoredRun s = stored(info.runId());
        synchronized (s) {
            s.record = new RunRecord(info, s.record.data(), s.record.inputs());
        }
    }

    @Override
    public void logBatch(String runId, LogBatch batch) {
        StoredRun s = stored(runId);
        synchronized (s) {
            RunRecord r = s.record;
            Map<String, String> params = r.data().params();
            for (Map.Entry<String, String> p : batch.params().entrySet()) {
                String old = params.get(p.getKey());
                if (old != null && !old.equals(p.getValue())) {
                    throw ParamConflict.of(runId, p.getKey(), old, p.getValue());
                }
            }
            Map<String, Double> metrics = r.data().metrics();
            if (!batch.metrics().isEmpty()) {
                for (MetricPoint m : batch.metrics()) {
                    s.history.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
                    MetricPoint cur = s.latest.get(m.key());
                    if (cur == null || m.isLaterThan(cur)) {
                        s.latest.put(m.key(), m);
                    }
                }
                Map<String, Double> next = new HashMap<>();
                s.latest.forEach((k, m) -> next.put(k, m.value()));
                metrics = next;
            }
            if (!batch.params().isEmpty()) {
                Map<String, String> next = new HashMap<>(params);
                next.putAll(batch.params());
                params = next;
            }
            Map<String, String> tags = r.data().tags();
            if (!batch.tags().isEmpty() || !batch.deletedTags().isEmpty()) {
                Map<String, String> next = new HashMap<>(tags);
                next.putAll(batch.tags());
                batch.deletedTags().forEach(next::remove);
                tags = next;
            }
            List<DatasetInput> inputs = r.inputs();
            if (!batch.inputs().isEmpty()) {
                List<DatasetInput> next = new ArrayList<>(inputs);
                Set<DatasetInput> seen = new HashSet<>(inputs);
                for (DatasetInput in : batch.inputs()) {
                    if (seen.add(in)) {
                        next.add(in);
                    }
                }
                inputs = next;
            }
            s.record = new RunRecord(r.info(), new RunData(metrics, params, tags), inputs);
        }
    }

    @Override
    public List<MetricPoint> metricHistory(String runId, String key) {
        StoredRun s = stored(runId);
        synchronized (s) {
            return List.copyOf(s.history.getOrDefault(key, List.of()));
        }
    }

    @Override
    public Iterable<RunRecord> runsOf(Collection<String> experimentIds) {
        List<RunRecord> out = new ArrayList<>();
        for (String id : experimentIds) {
            for (String runId : runsByExperiment.getOrDefault(id, Set.of())) {
                out.add(runs.get(runId).record);
            }
        }
        return out;
    }

    /** The error for a param logged twice with different values. */
    static final class ParamConflict {
        private ParamConflict() {
        }

        static InvalidArgumentException of(String runId, String key, String old, String value) {
            return new InvalidArgumentException("Param '" + key + "' of run " + runId + " is already '" + old
                    + "' and params are immutable; cannot change it to '" + value
                    + "'. Log it under another key or start a new run.");
        }
    }
}
