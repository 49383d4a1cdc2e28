package dev.kiln.experiments;

import dev.kiln.InvalidArgumentException;
import dev.kiln.KilnException;
import dev.kiln.NotFoundException;
import dev.kiln.Principal;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.WorkspaceGovernance;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Experiments} implementation: validation, buffering run handles, MLflow's system tags,
 * and search over the records of a {@link TrackingStore}.
 *
 * <p>In a workspace, experiments are governed ({@link dev.kiln.governance.Securable#experiment(String)}):
 * creating one takes CREATE on the catalog and makes its creator the owner; starting, resuming,
 * ending, deleting and restoring runs take MODIFY on the experiment; reading, searching and comparing
 * runs, their metric histories and artifacts take READ; tagging an experiment takes APPLY_TAG;
 * deleting or restoring it takes MANAGE. Every such change writes one audit row (experiment create,
 * delete, restore, tag; run start, resume, status, end, delete, restore; each artifact logged).
 * Metrics, params and tags logged to a run are not audited one by one: the privilege is checked when
 * the run handle is obtained, and the {@code run.end} row counts what the handle logged.
 */
public final class CoreExperiments implements Experiments, AutoCloseable {

    /** MLflow's tag naming who started a run. */
    public static final String TAG_USER = "mlflow.user";
    /** MLflow's tag holding a run's name. */
    public static final String TAG_RUN_NAME = "mlflow.runName";
    /** MLflow's tag naming a nested run's parent. */
    public static final String TAG_PARENT_RUN_ID = "mlflow.parentRunId";
    /** Kiln's tag holding the error that failed a run. */
    public static final String TAG_ERROR = "kiln.error";

    private static final String[] ADJECTIVES = {"amber", "bold", "brave", "calm", "clever", "crisp", "eager", "fierce",
        "gentle", "glad", "keen", "lucid", "merry", "nimble", "quiet", "rapid", "silent", "steady", "swift", "vivid"};
    private static final String[] NOUNS = {"badger", "bear", "crane", "deer", "eagle", "falcon", "fox", "hare", "heron",
        "lynx", "moth", "newt", "otter", "owl", "panda", "robin", "seal", "slug", "trout", "wolf"};

    private final TrackingStore store;
    private final LocalArtifacts artifacts;
    private final Principal principal;
    private final RunSearch search;
    private final LongSupplier clock;
    private static final Logger LOG = LoggerFactory.getLogger(CoreExperiments.class);

    private final Map<String, CoreRun> openRuns = new ConcurrentHashMap<>();
    private final AtomicReference<Thread> shutdownHook = new AtomicReference<>();
    private final ExperimentAccess access;

    CoreExperiments(TrackingStore store, Path artifactRoot, Principal principal, PageTokens tokens, LongSupplier clock) {
        this(store, artifactRoot, principal, tokens, clock, ExperimentAccess.ungoverned());
    }

    CoreExperiments(TrackingStore store, Path artifactRoot, Principal principal, PageTokens tokens, LongSupplier clock,
            ExperimentAccess access) {
        this.access = access;
        this.store = store;
        this.artifacts = new LocalArtifacts(artifactRoot);
        this.principal = principal;
        this.search = new RunSearch(tokens);
        this.clock = clock;
    }

    /**
     * Creates experiment tracking kept in memory, with artifacts as files under a folder. State
     * other than artifacts is lost when the JVM exits; the workspace's durable store replaces it.
     *
     * @param artifactRoot the folder for run artifacts
     * @param principal who starts runs
     * @return the tracking service
     */
    public static CoreExperiments inMemory(Path artifactRoot, Principal principal) {
        return new CoreExperiments(new InMemoryTrackingStore(), artifactRoot, principal,
                new PageTokens(("kiln-page-tokens:" + artifactRoot.toAbsolutePath()).getBytes(StandardCharsets.UTF_8)),
                System::currentTimeMillis);
    }

    /**
     * Creates experiment tracking kept in the Delta tables of a workspace's {@code system} schema
     * (created if missing), shared by every process opening the workspace, with artifacts as files
     * under a folder.
     *
     * @param lakehouse the workspace's lakehouse
     * @param artifactRoot the folder for run artifacts, normally {@code <root>/artifacts}
     * @param principal who starts runs
     * @return the tracking service; close it to commit what is buffered
     */
    public static CoreExperiments delta(dev.kiln.lakehouse.Lakehouse lakehouse, Path artifactRoot, Principal principal) {
        return new CoreExperiments(new DeltaTrackingStore(lakehouse), artifactRoot, principal,
                new PageTokens(("kiln-page-tokens:" + artifactRoot.toAbsolutePath()).getBytes(StandardCharsets.UTF_8)),
                System::currentTimeMillis);
    }

    /**
     * Creates governed experiment tracking kept in the Delta tables of a workspace's {@code system}
     * schema: the workspace's grants decide who may create experiments, start runs and read them,
     * and every change is written to its audit log.
     *
     * @param lakehouse the workspace's lakehouse
     * @param artifactRoot the folder for run artifacts, normally {@code <root>/artifacts}
     * @param governance the workspace's governance; its acting principal starts runs
     * @return the tracking service; close it to commit what is buffered
     */
    public static CoreExperiments delta(dev.kiln.lakehouse.Lakehouse lakehouse, Path artifactRoot, WorkspaceGovernance governance) {
        return new CoreExperiments(new DeltaTrackingStore(lakehouse), artifactRoot, governance.actor(),
                new PageTokens(("kiln-page-tokens:" + artifactRoot.toAbsolutePath()).getBytes(StandardCharsets.UTF_8)),
                System::currentTimeMillis, ExperimentAccess.of(governance));
    }

    LocalArtifacts artifacts() {
        return artifacts;
    }

    /**
     * Names the experiment a run belongs to, without a privilege check: the model registry uses it
     * to check READ on that experiment before it loads a {@code runs:/} URI.
     *
     * @param runId the run id
     * @return the experiment's name, or empty if tracking does not know the run
     */
    public Optional<String> experimentOfRun(String runId) {
        try {
            return Optional.of(nameOf(findRun(runId).info().experimentId()));
        } catch (dev.kiln.NotFoundException unknown) {
            return Optional.empty();
        }
    }

    /** The name of an experiment by id (the id itself if the experiment is gone). */
    private String nameOf(String experimentId) {
        return store.experimentById(experimentId).map(Experiment::name).orElse(experimentId);
    }

    // ---- experiments

    @Override
    public Experiment createExperiment(String name) {
        return createExperiment(name, Map.of());
    }

    @Override
    public Experiment createExperiment(String name, Map<String, String> tags) {
        TrackingRules.experimentName(name);
        tags.forEach((k, v) -> TrackingRules.tagValue(TrackingRules.key("tag", k), v));
        access.checkCreate(name);
        Experiment created;
        try {
            created = store.createExperiment(name, tags, clock.getAsLong(),
                    id -> artifacts.runRoot(id, "x").getParent().getParent().toUri().toString());
        } catch (KilnException e) {
            access.failed("experiment.create", name, e);
            throw e;
        }
        access.created(name, Map.of("experimentId", created.experimentId()));
        return created;
    }

    @Override
    public Experiment getOrCreateExperiment(String name) {
        TrackingRules.experimentName(name);
        for (int attempt = 0; ; attempt++) {
            Optional<Experiment> found = store.experimentByName(name);
            if (found.isPresent()) {
                Experiment e = found.get();
                if (e.lifecycleStage() == LifecycleStage.DELETED) {
                    throw new InvalidArgumentException("Experiment '" + name + "' is deleted; restore it with "
                            + "restoreExperiment(\"" + name + "\") or use another name.");
                }
                return e;
            }
            try {
                return createExperiment(name);
            } catch (dev.kiln.AlreadyExistsException raced) {
                if (attempt > 3) {
                    throw raced;
                }
            }
        }
    }

    @Override
    public Experiment getExperiment(String experiment) {
        return findExperiment(experiment).orElseThrow(() -> notFound(experiment));
    }

    private static NotFoundException notFound(String experiment) {
        return new NotFoundException("Experiment '" + experiment + "' does not exist; create it with createExperiment or getOrCreateExperiment.");
    }

    @Override
    public Optional<Experiment> findExperiment(String experiment) {
        Optional<Experiment> found = refreshedExperiment(experiment);
        found.ifPresent(e -> access.check(Privilege.READ, e.name(), "experiment.read"));
        return found;
    }

    /** Looks an experiment up after reading other processes' changes, without a privilege check. */
    private Optional<Experiment> refreshedExperiment(String experiment) {
        store.refresh();
        return lookupExperiment(experiment);
    }

    private Experiment existing(String experiment) {
        return refreshedExperiment(experiment).orElseThrow(() -> notFound(experiment));
    }

    /** Finds an experiment in what the store holds, without looking for other processes' changes. */
    private Optional<Experiment> lookupExperiment(String experiment) {
        if (experiment == null) {
            return Optional.empty();
        }
        Optional<Experiment> byName = store.experimentByName(experiment);
        return byName.isPresent() ? byName : store.experimentById(experiment);
    }

    @Override
    public List<Experiment> listExperiments() {
        return listExperiments(ViewType.ACTIVE_ONLY);
    }

    @Override
    public List<Experiment> listExperiments(ViewType viewType) {
        return store.experiments().stream().filter(e -> viewType.includes(e.lifecycleStage())).filter(e -> access.mayRead(e.name()))
                .sorted(Comparator.comparing(Experiment::name)).toList();
    }

    @Override
    public void deleteExperiment(String experiment) {
        setStage(experiment, LifecycleStage.DELETED, "experiment.delete");
    }

    @Override
    public void restoreExperiment(String experiment) {
        setStage(experiment, LifecycleStage.ACTIVE, "experiment.restore");
    }

    private void setStage(String experiment, LifecycleStage stage, String action) {
        Experiment e = existing(experiment);
        access.check(Privilege.MANAGE, e.name(), action);
        store.setExperimentStage(e.experimentId(), stage, clock.getAsLong());
        access.allowed(action, e.name(), Map.of("experimentId", e.experimentId()));
    }

    @Override
    public void setExperimentTag(String experiment, String key, String value) {
        TrackingRules.tagValue(TrackingRules.key("tag", key), value);
        Experiment e = existing(experiment);
        access.check(Privilege.APPLY_TAG, e.name(), "experiment.tag.set");
        store.setExperimentTag(e.experimentId(), key, value, clock.getAsLong());
        access.allowed("experiment.tag.set", e.name(), Map.of("key", key, "value", String.valueOf(value)));
    }

    // ---- runs

    @Override
    public Run startRun(String experiment) {
        return startRun(RunSpec.builder(experiment).build());
    }

    @Override
    public Run startRun(RunSpec spec) {
        Experiment e = lookupExperiment(spec.experiment()).orElseGet(() -> getOrCreateExperiment(spec.experiment()));
        if (e.lifecycleStage() == LifecycleStage.DELETED) {
            throw new InvalidArgumentException("Experiment '" + e.name() + "' is deleted; restore it before starting runs.");
        }
        access.check(Privilege.MODIFY, e.name(), "run.start");
        if (!spec.parentRunId().isEmpty()) {
            findRun(spec.parentRunId());
        }
        String runId = UUID.randomUUID().toString().replace("-", "");
        String name = spec.runName().isEmpty() ? generateName() : spec.runName();
        long start = spec.startTime() > 0 ? spec.startTime() : clock.getAsLong();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_USER, principal.name());
        tags.put(TAG_RUN_NAME, name);
        if (!spec.parentRunId().isEmpty()) {
            tags.put(TAG_PARENT_RUN_ID, spec.parentRunId());
        }
        spec.tags().forEach((k, v) -> tags.put(TrackingRules.key("tag", k), TrackingRules.tagValue(k, v)));
        RunInfo info = new RunInfo(runId, name, e.experimentId(), principal.name(), spec.status(), start, null,
                artifacts.uri(e.experimentId(), runId), LifecycleStage.ACTIVE, spec.parentRunId());
        store.createRun(info, tags);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("runId", runId);
        details.put("runName", name);
        if (!spec.parentRunId().isEmpty()) {
            details.put("parentRunId", spec.parentRunId());
        }
        access.allowed("run.start", e.name(), details);
        return open(store.run(runId).orElseThrow());
    }

    private CoreRun open(RunRecord record) {
        CoreRun run = new CoreRun(this, store, record, nameOf(record.info().experimentId()),
                artifacts.runRoot(record.info().experimentId(), record.runId()));
        openRuns.put(record.runId(), run);
        ensureShutdownHook();
        return run;
    }

    /** Flushes open runs when the JVM exits normally, in case nobody closed them. */
    private void ensureShutdownHook() {
        if (shutdownHook.get() != null) {
            return;
        }
        Thread hook = new Thread(this::flushAtExit, "kiln-experiments-flush");
        if (shutdownHook.compareAndSet(null, hook)) {
            try {
                Runtime.getRuntime().addShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                shutdownHook.set(null);
            }
        }
    }

    private void flushAtExit() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Could not flush buffered run data at exit: {}", e.getMessage(), e);
        }
    }

    private static String generateName() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return ADJECTIVES[r.nextInt(ADJECTIVES.length)] + "-" + NOUNS[r.nextInt(NOUNS.length)] + "-" + r.nextInt(100, 1000);
    }

    /** Called by a run handle as it ends; the audit row counts what the handle logged. */
    void finish(CoreRun run, RunStatus status, Map<String, String> logged) {
        RunInfo info = store.run(run.id()).orElseThrow().info();
        store.updateRunInfo(info.withStatus(status, clock.getAsLong()));
        openRuns.remove(run.id(), run);
        store.flush();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("runId", run.id());
        details.put("status", status.name());
        details.putAll(logged);
        access.allowed("run.end", run.experimentName(), details);
    }

    /** Called by a run handle after it stored an artifact. */
    void artifactLogged(CoreRun run, String path) {
        access.allowed("run.artifact.log", run.experimentName(), Map.of("runId", run.id(), "path", String.valueOf(path)));
    }

    @Override
    public Run resumeRun(String runId) {
        RunRecord r = findRun(runId);
        String experiment = nameOf(r.info().experimentId());
        access.check(Privilege.MODIFY, experiment, "run.resume", Map.of("runId", runId));
        CoreRun open = openRuns.get(runId);
        if (open != null && open.isOpen()) {
            return open;
        }
        store.updateRunInfo(r.info().withStatus(RunStatus.RUNNING, null));
        store.flush();
        access.allowed("run.resume", experiment, Map.of("runId", runId));
        return open(store.run(runId).orElseThrow());
    }

    @Override
    public <E extends Exception> RunInfo run(String experiment, RunBody<E> body) throws E {
        return run(RunSpec.builder(experiment).build(), body);
    }

    @Override
    public <E extends Exception> RunInfo run(RunSpec spec, RunBody<E> body) throws E {
        Run run = startRun(spec);
        try {
            body.accept(run);
        } catch (Throwable t) {
            run.fail(t);
            try {
                run.close();
            } catch (RuntimeException closing) {
                t.addSuppressed(closing);
            }
            throw t;
        }
        run.close();
        return store.run(run.id()).orElseThrow().info();
    }

    @Override
    public RunRecord getRun(String runId) {
        RunRecord run = findRun(runId);
        access.check(Privilege.READ, nameOf(run.info().experimentId()), "run.read", Map.of("runId", runId));
        return run;
    }

    /** Finds a run, flushing this process's buffered values into it, without a privilege check. */
    private RunRecord findRun(String runId) {
        CoreRun open = runId == null ? null : openRuns.get(runId);
        if (open != null) {
            open.drain();
        } else {
            store.refresh();
        }
        return store.run(runId == null ? "" : runId)
                .orElseThrow(() -> new NotFoundException("Run '" + runId + "' does not exist."));
    }

    @Override
    public void setRunStatus(String runId, RunStatus status) {
        RunInfo info = findRun(runId).info();
        String experiment = nameOf(info.experimentId());
        access.check(Privilege.MODIFY, experiment, "run.status", Map.of("runId", runId));
        CoreRun open = openRuns.get(runId);
        if (open != null && status.isTerminated()) {
            open.end(status);
            return;
        }
        store.updateRunInfo(info.withStatus(status, status.isTerminated() ? Long.valueOf(clock.getAsLong()) : null));
        store.flush();
        access.allowed("run.status", experiment, Map.of("runId", runId, "status", status.name()));
    }

    @Override
    public void deleteRun(String runId) {
        setRunStage(runId, LifecycleStage.DELETED, "run.delete");
    }

    @Override
    public void restoreRun(String runId) {
        setRunStage(runId, LifecycleStage.ACTIVE, "run.restore");
    }

    private void setRunStage(String runId, LifecycleStage stage, String action) {
        RunInfo info = findRun(runId).info();
        String experiment = nameOf(info.experimentId());
        access.check(Privilege.MODIFY, experiment, action, Map.of("runId", runId));
        store.updateRunInfo(info.withLifecycleStage(stage));
        store.flush();
        access.allowed(action, experiment, Map.of("runId", runId));
    }

    // ---- reads

    @Override
    public RunPage searchRuns(RunQuery query) {
        search.validate(query);
        store.refresh();
        List<String> ids = new ArrayList<>();
        for (String experiment : query.experimentIds()) {
            Experiment e = lookupExperiment(experiment).orElseThrow(() -> notFound(experiment));
            access.check(Privilege.READ, e.name(), "run.search");
            ids.add(e.experimentId());
        }
        drain();
        return search.search(query, store.runsOf(ids));
    }

    @Override
    public RunComparison compareRuns(List<String> runIds) {
        List<RunRecord> runs = runIds.stream().map(this::getRun).toList();
        TreeSet<String> params = new TreeSet<>();
        TreeSet<String> metrics = new TreeSet<>();
        for (RunRecord r : runs) {
            params.addAll(r.data().params().keySet());
            metrics.addAll(r.data().metrics().keySet());
        }
        return new RunComparison(runs, List.copyOf(params), List.copyOf(metrics));
    }

    @Override
    public List<MetricPoint> metricHistory(String runId, String key) {
        getRun(runId);
        List<MetricPoint> points = new ArrayList<>(store.metricHistory(runId, key));
        points.sort(Comparator.comparingLong(MetricPoint::step).thenComparingLong(MetricPoint::timestamp));
        return points;
    }

    @Override
    public List<ArtifactInfo> listArtifacts(String runId, String path) {
        RunInfo info = getRun(runId).info();
        return artifacts.list(artifacts.runRoot(info.experimentId(), runId), path);
    }

    @Override
    public InputStream openArtifact(String runId, String path) {
        RunInfo info = getRun(runId).info();
        return artifacts.open(artifacts.runRoot(info.experimentId(), runId), path);
    }

    @Override
    public void flush() {
        drain();
        store.flush();
    }

    private void drain() {
        for (CoreRun run : openRuns.values()) {
            run.drain();
        }
    }

    /** Flushes every open run (they stay RUNNING) and removes the exit hook. */
    @Override
    public void close() {
        drain();
        store.close();
        Thread hook = shutdownHook.getAndSet(null);
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting and the hook runs anyway
            }
        }
    }
}
