package dev.kiln.experiments;

import dev.kiln.AlreadyExistsException;
import dev.kiln.KilnException;
import dev.kiln.NotFoundException;
import dev.kiln.StorageException;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Tracking state in Delta tables of the workspace's {@code system} schema, written and read
 * through the {@link Lakehouse} API only, so that every process opening the workspace (and Spark)
 * sees the same experiments and runs.
 *
 * <p><b>Writes are blind appends of event rows</b>, which never conflict between processes: a
 * status change is a new row of {@code system.runs} (the latest by {@code event_ts}, then
 * {@code batch_id}, wins), a tag deletion a row with a null value, a metric point a row of
 * {@code system.metrics}. Rows are buffered and committed together (one Delta commit per table
 * per flush, never one per point) when {@link #flush()} is called, or when
 * {@value #COMMIT_THRESHOLD} rows are pending.
 *
 * <p><b>Experiments</b> get an id derived from their name (32 hex characters of SHA-256), so
 * processes creating the same name concurrently append rows for the same id; on read the first
 * creation row (by time, then batch id) wins, and the losing creator is told the name exists.
 *
 * <p><b>Params are immutable across processes</b>: on read, the first value of each (run, key)
 * wins, and every row of a batch that logged a different value is ignored (that batch is refused,
 * the others apply). Within one process the conflicting batch is refused at once.
 *
 * <p><b>Reads</b> are served from a materialized view in memory (the runs' records with latest
 * metrics, params, tags, inputs), loaded with SQL aggregates (latest metric per key, latest row per
 * run and tag, first value per param). This process's own writes are applied to the view as they
 * are made, committed or not. Searches, listings, {@link #refresh()} and lookups of ids the view
 * does not hold check the tables' versions and reload the view if another writer committed; other
 * reads (the logging path) never touch the tables.
 *
 * <p><b>Commits</b> are grouped: while one thread commits, the rows other threads add wait, and
 * the next commit takes them all; a flush returns as soon as the rows added before it are
 * committed, by whichever thread.
 */
final class DeltaTrackingStore implements TrackingStore, AutoCloseable {

    /** Pending rows that start a commit in the background while logging goes on. */
    static final int COMMIT_THRESHOLD = 200_000;

    /**
     * Pending rows at which a logging thread stops and commits itself: the background committer is
     * not keeping up, and buffering without bound would only move the cost to memory.
     */
    static final int BLOCKING_THRESHOLD = 4 * COMMIT_THRESHOLD;

    static final String SCHEMA = "system";

    /**
     * The tables and their columns. No column is declared NOT NULL: this store is the only writer
     * and never leaves a required value out, and each NOT NULL column would cost every commit an
     * extra scan of its rows.
     */
    enum T {
        EXPERIMENTS("experiments", "experiment_id STRING, name STRING, artifact_location STRING, "
                + "lifecycle_stage STRING, event STRING, time BIGINT, event_ts BIGINT, "
                + "batch_id STRING"),
        EXPERIMENT_TAGS("experiment_tags", "experiment_id STRING, key STRING, value STRING, "
                + "time BIGINT, event_ts BIGINT, batch_id STRING"),
        RUNS("runs", "run_id STRING, experiment_id STRING, run_name STRING, user_id STRING, "
                + "status STRING, start_time BIGINT, end_time BIGINT, artifact_uri STRING, "
                + "lifecycle_stage STRING, parent_run_id STRING, event_ts BIGINT, batch_id STRING"),
        PARAMS("run_params", "run_id STRING, experiment_id STRING, key STRING, "
                + "value STRING, event_ts BIGINT, batch_id STRING"),
        TAGS("run_tags", "run_id STRING, experiment_id STRING, key STRING, value STRING, "
                + "event_ts BIGINT, batch_id STRING"),
        /**
         * Who logged the points of a series: one row per run and batch. Metric points carry only
         * the series number, because three id strings on each of millions of points were most of
         * what writing them cost. Rows are identical when written twice (a retried commit), so
         * readers take them distinct.
         */
        METRIC_SERIES("metric_series", "series BIGINT, run_id STRING, experiment_id STRING, batch_id STRING"),
        /**
         * Metric points; {@code series} names the run and batch in {@code system.metric_series}.
         * (Builds before this layout kept points with their ids in {@code system.metrics}; opening
         * such a workspace moves them here, see {@link #migrateLegacyMetrics()}.)
         */
        METRICS("metric_points", "series BIGINT, key STRING, value DOUBLE, step BIGINT, timestamp BIGINT"),
        INPUTS("run_inputs", "run_id STRING, experiment_id STRING, name STRING, "
                + "version BIGINT, context STRING, digest STRING, event_ts BIGINT, batch_id STRING");

        final String table;
        final String ddl;
        final List<String> columns = new ArrayList<>();
        final List<String> types = new ArrayList<>();

        T(String table, String ddl) {
            this.table = SCHEMA + "." + table;
            this.ddl = ddl;
            for (String col : ddl.split(",")) {
                String[] parts = col.trim().split("\\s+");
                columns.add(parts[0]);
                types.add(switch (parts[1]) {
                    case "STRING" -> "VARCHAR";
                    default -> parts[1];
                });
            }
        }
    }

    private final Lakehouse lakehouse;
    private final String writerId = UUID.randomUUID().toString().replace("-", "");
    /** Fair, so that threads waiting for a commit are served before a committer comes back for more. */
    private final java.util.concurrent.locks.ReentrantLock flushLock = new java.util.concurrent.locks.ReentrantLock(true);
    private final Map<T, Table> tables = new HashMap<>();
    /**
     * Commits started by a full buffer run here, so the thread that logged the row that filled it
     * keeps logging while DuckDB writes the previous rows. One thread: commits are serial anyway.
     */
    private final java.util.concurrent.ExecutorService committer = java.util.concurrent.Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "kiln-tracking-commit");
        thread.setDaemon(true);
        return thread;
    });
    private final java.util.concurrent.atomic.AtomicBoolean commitQueued = new java.util.concurrent.atomic.AtomicBoolean();

    // ---- guarded by this
    private State state = new State();
    private final Map<T, List<Object[]>> pending = new HashMap<>();
    private final Map<T, List<Object[]>> inFlight = new HashMap<>();
    private int pendingRows;
    /** Rows added so far, and how many of them are committed: a flush only waits for rows added before it. */
    private long addedRows;
    private long committedRows;
    private final Map<T, Long> knownVersions = new HashMap<>();
    private long lastTs;
    private long batchCounter;

    DeltaTrackingStore(Lakehouse lakehouse) {
        this.lakehouse = lakehouse;
        lakehouse.createSchemaIfNotExists(SCHEMA);
        for (T t : T.values()) {
            tables.put(t, ensureTable(t));
            pending.put(t, rowsFor(t));
        }
        migrateLegacyMetrics();
        synchronized (this) {
            reload();
        }
    }

    private Table ensureTable(T t) {
        if (!lakehouse.tableExists(t.table)) {
            try {
                return lakehouse.createTable(TableDefinition.builder(t.table).schema(t.ddl)
                        .description("Kiln experiment tracking (" + t.name().toLowerCase(java.util.Locale.ROOT) + "), append-only events")
                        .build());
            } catch (KilnException raced) {
                if (!lakehouse.tableExists(t.table)) {
                    throw raced;
                }
            }
        }
        return lakehouse.table(t.table);
    }

    /**
     * Moves metric points from the layout of earlier builds ({@code system.metrics}, each point with
     * its run, experiment and batch ids) into {@code system.metric_series} and
     * {@code system.metric_points}, then drops the old table. Under a file lock, so that processes
     * opening the workspace together move the points once; a process stopped halfway leaves the old
     * table, and the next one finishes the move without copying points twice.
     */
    private void migrateLegacyMetrics() {
        String legacy = SCHEMA + ".metrics";
        if (!lakehouse.tableExists(legacy)) {
            return;
        }
        Path lockFile = tables.get(T.METRICS).location().resolveSibling(".metrics-migration.lock");
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock held = channel.lock()) {
            if (!lakehouse.tableExists(legacy)) {
                return;
            }
            String number = "(hash(run_id, batch_id) >> 1)::BIGINT";
            boolean moved;
            try (Rows found = lakehouse.sql("SELECT 1 FROM " + T.METRICS.table + " WHERE series = (SELECT " + number + " FROM " + legacy
                    + " LIMIT 1) LIMIT 1")) {
                moved = found.next();
            }
            if (!moved) {
                tables.get(T.METRIC_SERIES).append(WriteSource.query("SELECT DISTINCT " + number
                        + " AS series, run_id, experiment_id, batch_id FROM " + legacy));
                tables.get(T.METRICS).append(WriteSource.query("SELECT " + number + " AS series, key, value, step, timestamp FROM " + legacy));
            }
            lakehouse.dropTable(legacy);
        } catch (IOException e) {
            throw new StorageException("Cannot lock " + lockFile + " to move metrics to the current layout: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ view

    /** One experiment as the view holds it. */
    private static final class Exp {
        Experiment experiment;
        long stageTs;
        final Set<String> runIds = new LinkedHashSet2();

        Exp(Experiment experiment) {
            this.experiment = experiment;
        }
    }

    /** A set keeping insertion order (named for brevity). */
    private static final class LinkedHashSet2 extends java.util.LinkedHashSet<String> {
        private static final long serialVersionUID = 1L;
    }

    /** One run as the view holds it. */
    private static final class RunState {
        RunInfo info;
        long infoTs = Long.MIN_VALUE;
        final Map<String, String> params = new HashMap<>();
        final Map<String, String> tags = new HashMap<>();
        final Map<String, MetricPoint> latest = new HashMap<>();
        final List<DatasetInput> inputs = new ArrayList<>();
        RunRecord record;

        RunRecord record() {
            RunRecord r = record;
            if (r == null) {
                Map<String, Double> metrics = new HashMap<>(latest.size() * 2);
                latest.forEach((k, m) -> metrics.put(k, m.value()));
                r = new RunRecord(info, new RunData(metrics, params, tags), inputs);
                record = r;
            }
            return r;
        }
    }

    /** The whole view. */
    private static final class State {
        final Map<String, Exp> experiments = new LinkedHashMap<>();
        final Map<String, String> idsByName = new HashMap<>();
        final Map<String, RunState> runs = new HashMap<>();
    }

    // ---- applying event rows (the same code for loaded and for local rows)

    private void applyExperiment(State s, Object[] row) {
        String id = (String) row[0];
        String event = (String) row[4];
        long time = (Long) row[5];
        long ts = (Long) row[6];
        Exp e = s.experiments.get(id);
        if ("create".equals(event)) {
            if (e == null) {
                e = new Exp(new Experiment(id, (String) row[1], (String) row[2], LifecycleStage.valueOf((String) row[3]),
                        Map.of(), time, time));
                e.stageTs = ts;
                s.experiments.put(id, e);
                s.idsByName.put((String) row[1], id);
            }
            return;
        }
        if (e != null && ts >= e.stageTs) {
            Experiment x = e.experiment;
            LifecycleStage stage = LifecycleStage.valueOf((String) row[3]);
            e.experiment = new Experiment(x.experimentId(), x.name(), x.artifactLocation(), stage, x.tags(),
                    x.creationTime(), Math.max(x.lastUpdateTime(), time));
            e.stageTs = ts;
            for (String runId : e.runIds) {
                RunState r = s.runs.get(runId);
                if (r != null && r.info.lifecycleStage() != stage) {
                    r.info = r.info.withLifecycleStage(stage);
                    r.record = null;
                }
            }
        }
    }

    private static void applyExperimentTag(State s, Object[] row) {
        Exp e = s.experiments.get((String) row[0]);
        if (e == null) {
            return;
        }
        Experiment x = e.experiment;
        Map<String, String> tags = new LinkedHashMap<>(x.tags());
        if (row[2] == null) {
            tags.remove((String) row[1]);
        } else {
            tags.put((String) row[1], (String) row[2]);
        }
        e.experiment = new Experiment(x.experimentId(), x.name(), x.artifactLocation(), x.lifecycleStage(), tags,
                x.creationTime(), Math.max(x.lastUpdateTime(), (Long) row[3]));
    }

    private static void applyRun(State s, Object[] row) {
        String runId = (String) row[0];
        long ts = (Long) row[10];
        RunState r = s.runs.get(runId);
        if (r == null) {
            r = new RunState();
            s.runs.put(runId, r);
            // MLflow's system tags are derived from the run's row rather than stored (one commit less per run)
            putIfPresent(r.tags, CoreExperiments.TAG_USER, (String) row[3]);
            putIfPresent(r.tags, CoreExperiments.TAG_RUN_NAME, (String) row[2]);
            putIfPresent(r.tags, CoreExperiments.TAG_PARENT_RUN_ID, (String) row[9]);
            Exp e = s.experiments.get((String) row[1]);
            if (e != null) {
                e.runIds.add(runId);
            }
        } else if (ts < r.infoTs) {
            return;
        }
        LifecycleStage stage = LifecycleStage.valueOf((String) row[8]);
        Exp e = s.experiments.get((String) row[1]);
        if (e != null && e.stageTs > ts) {
            stage = e.experiment.lifecycleStage();
        }
        r.info = new RunInfo(runId, (String) row[2], (String) row[1], (String) row[3], RunStatus.valueOf((String) row[4]),
                (Long) row[5], (Long) row[6], (String) row[7], stage, (String) row[9]);
        r.infoTs = ts;
        r.record = null;
    }

    private static void putIfPresent(Map<String, String> tags, String key, String value) {
        if (value != null && !value.isEmpty()) {
            tags.put(key, value);
        }
    }

    /** Tells whether a tag given at run creation is the one derived from the run's row. */
    private static boolean derived(RunInfo info, String key, String value) {
        return switch (key) {
            case CoreExperiments.TAG_USER -> value.equals(info.userId()) && !value.isEmpty();
            case CoreExperiments.TAG_RUN_NAME -> value.equals(info.runName()) && !value.isEmpty();
            case CoreExperiments.TAG_PARENT_RUN_ID -> value.equals(info.parentRunId()) && !value.isEmpty();
            default -> false;
        };
    }

    private static void applyParam(RunState r, String key, String value) {
        r.params.putIfAbsent(key, value);
        r.record = null;
    }

    private static void applyTag(RunState r, String key, String value) {
        if (value == null) {
            r.tags.remove(key);
        } else {
            r.tags.put(key, value);
        }
        r.record = null;
    }

    private static void applyMetric(RunState r, MetricPoint m) {
        MetricPoint cur = r.latest.get(m.key());
        if (cur == null || m.isLaterThan(cur)) {
            r.latest.put(m.key(), m);
            r.record = null;
        }
    }

    private static void applyInput(RunState r, DatasetInput in) {
        if (!r.inputs.contains(in)) {
            r.inputs.add(in);
            r.record = null;
        }
    }

    /** Applies a pending (or loaded) row of any table to a view. */
    private void apply(State s, T t, Object[] row) {
        switch (t) {
            case EXPERIMENTS -> applyExperiment(s, row);
            case EXPERIMENT_TAGS -> applyExperimentTag(s, row);
            case RUNS -> applyRun(s, row);
            default -> {
                RunState r = s.runs.get((String) row[0]);
                if (r == null) {
                    return;
                }
                switch (t) {
                    case PARAMS -> applyParam(r, (String) row[2], (String) row[3]);
                    case TAGS -> applyTag(r, (String) row[2], (String) row[3]);
                    case METRICS -> applyMetric(r, new MetricPoint((String) row[2], (Double) row[3], (Long) row[4], (Long) row[5]));
                    case INPUTS -> applyInput(r, new DatasetInput((String) row[2], (Long) row[3], (String) row[4], (String) row[5]));
                    default -> throw new IllegalStateException(t.name());
                }
            }
        }
    }

    // ------------------------------------------------------------------ loading

    private Map<T, Long> versions() {
        Map<T, Long> v = new HashMap<>();
        for (T t : T.values()) {
            v.put(t, tables.get(t).latest().version());
        }
        return v;
    }

    /**
     * Checks for other writers and reloads the view if a table moved; guarded by this. Reads of
     * objects the view already holds do not check ({@code force} false): logging stays in memory.
     */
    private void refresh(boolean force) {
        if (force && !versions().equals(knownVersions)) {
            reload();
        }
    }

    @Override
    public synchronized void refresh() {
        refresh(true);
    }

    /** Rebuilds the view from the tables, then re-applies rows not yet committed; guarded by this. */
    private void reload() {
        {
            Map<T, Long> versions = versions();
            State s = new State();
            query("SELECT experiment_id, name, artifact_location, lifecycle_stage, event, time, event_ts, batch_id FROM "
                    + T.EXPERIMENTS.table + " ORDER BY event_ts, batch_id", 8, row -> applyExperiment(s, row));
            query("SELECT experiment_id, key, value, time FROM " + T.EXPERIMENT_TAGS.table + " ORDER BY event_ts, batch_id",
                    4, row -> applyExperimentTag(s, row));
            query("SELECT run_id, experiment_id, run_name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage, "
                    + "parent_run_id, event_ts FROM " + T.RUNS.table
                    + " QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY event_ts DESC, batch_id DESC) = 1", 11,
                    row -> applyRun(s, row));
            // params: the first value wins; a batch that logged another value is refused as a whole
            Set<String> refused = new HashSet<>();
            Map<String, Map<String, String>> first = new HashMap<>();
            query("SELECT run_id, key, value, batch_id FROM " + T.PARAMS.table + " ORDER BY event_ts, batch_id", 4, row -> {
                Map<String, String> params = first.computeIfAbsent((String) row[0], k -> new HashMap<>());
                String old = params.putIfAbsent((String) row[1], (String) row[2]);
                if (old != null && !old.equals(row[2])) {
                    refused.add((String) row[3]);
                }
            });
            String notRefused = refused.isEmpty() ? "" : " WHERE batch_id NOT IN (" + String.join(", ",
                    refused.stream().map(DeltaTrackingStore::literal).toList()) + ")";
            if (!refused.isEmpty()) {
                first.clear();
                query("SELECT run_id, key, value FROM " + T.PARAMS.table + notRefused + " ORDER BY event_ts, batch_id", 3, row -> {
                    first.computeIfAbsent((String) row[0], k -> new HashMap<>()).putIfAbsent((String) row[1], (String) row[2]);
                });
            }
            first.forEach((runId, params) -> {
                RunState r = s.runs.get(runId);
                if (r != null) {
                    params.forEach((k, v) -> applyParam(r, k, v));
                }
            });
            query("SELECT run_id, key, value FROM " + T.TAGS.table + notRefused
                    + " QUALIFY row_number() OVER (PARTITION BY run_id, key ORDER BY event_ts DESC, batch_id DESC) = 1", 3, row -> {
                        RunState r = s.runs.get((String) row[0]);
                        if (r != null) {
                            applyTag(r, (String) row[1], (String) row[2]);
                        }
                    });
            query("SELECT run_id, key, struct_extract(m, 'value'), struct_extract(m, 'step'), struct_extract(m, 'timestamp') FROM (SELECT run_id, key, "
                    + "max({'step': step, 'timestamp': timestamp, 'value': value}) AS m FROM " + METRIC_POINTS + " AS p" + notRefused
                    + " GROUP BY run_id, key)", 5, row -> {
                        RunState r = s.runs.get((String) row[0]);
                        if (r != null) {
                            applyMetric(r, new MetricPoint((String) row[1], (Double) row[2], (Long) row[3], (Long) row[4]));
                        }
                    });
            query("SELECT run_id, name, version, context, digest FROM " + T.INPUTS.table + notRefused
                    + " ORDER BY event_ts, batch_id", 5, row -> {
                        RunState r = s.runs.get((String) row[0]);
                        if (r != null) {
                            applyInput(r, new DatasetInput((String) row[1], (Long) row[2], (String) row[3], (String) row[4]));
                        }
                    });
            // rows being committed right now may or may not be in what was read: applying them again is harmless
            for (Map<T, List<Object[]>> rows : List.of(inFlight, pending)) {
                for (T t : T.values()) {
                    for (Object[] row : rows.getOrDefault(t, List.of())) {
                        apply(s, t, row);
                    }
                }
            }
            state = s;
            knownVersions.clear();
            knownVersions.putAll(versions);
        }
    }

    private void query(String sql, int width, java.util.function.Consumer<Object[]> sink) {
        try (Rows rows = lakehouse.sql(sql)) {
            while (rows.next()) {
                Object[] row = new Object[width];
                for (int i = 0; i < width; i++) {
                    row[i] = rows.get(i);
                }
                sink.accept(row);
            }
        }
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    // ------------------------------------------------------------------ writing

    private long nextTs() {
        long t = Math.max(System.currentTimeMillis() * 1000, lastTs + 1);
        lastTs = t;
        return t;
    }

    private String nextBatchId() {
        return writerId.substring(0, 16) + String.format("%016x", ++batchCounter);
    }

    /** Adds a row to the view and to the pending rows; guarded by this. */
    private void add(T t, Object[] row) {
        apply(state, t, row);
        queue(t, row);
    }

    /** An empty list of pending rows for a table: metric points are kept in columns. */
    private static List<Object[]> rowsFor(T t) {
        return t == T.METRICS ? new MetricRows() : new ArrayList<>();
    }

    /** Queues a row for the next commit without applying it to the view (the caller has). */
    private void queue(T t, Object[] row) {
        pending.get(t).add(row);
        pendingRows++;
        addedRows++;
    }

    /** {@link #queue} for a metric point, which goes into the pending columns without a row of its own. */
    private void queueMetric(String runId, String experimentId, String batchId, MetricPoint m) {
        ((MetricRows) pending.get(T.METRICS)).add(runId, experimentId, batchId, m.key(), m.value(), m.step(), m.timestamp());
        pendingRows++;
        addedRows++;
    }

    /**
     * Commits every pending row: one Delta append per table that has rows.
     *
     * @throws StorageException if a table cannot be written (the rows stay pending)
     */
    public void flush() {
        long target;
        synchronized (this) {
            target = addedRows;
        }
        // group commit: while one thread commits, others queue; the next commit takes all their rows at once
        flushLock.lock();
        try {
            Map<T, List<Object[]>> batch = new LinkedHashMap<>();
            long upTo;
            synchronized (this) {
                if (pendingRows == 0 || committedRows >= target) {
                    return;
                }
                upTo = addedRows;
                for (T t : T.values()) {
                    List<Object[]> rows = pending.get(t);
                    if (!rows.isEmpty()) {
                        batch.put(t, rows);
                        inFlight.put(t, rows);
                        pending.put(t, rowsFor(t));
                    }
                }
                pendingRows = 0;
            }
            // experiments first, then runs, then what hangs off runs: a reader never sees a metric of an unknown run
            for (Map.Entry<T, List<Object[]>> e : batch.entrySet()) {
                T t = e.getKey();
                try {
                    committed(t, append(t, e.getValue()));
                    synchronized (this) {
                        inFlight.remove(t);
                    }
                    e.setValue(List.of());
                } catch (RuntimeException failure) {
                    synchronized (this) {
                        inFlight.clear();
                        for (Map.Entry<T, List<Object[]>> left : batch.entrySet()) {
                            List<Object[]> rows = rowsFor(left.getKey());
                            rows.addAll(left.getValue());
                            rows.addAll(pending.get(left.getKey()));
                            pending.put(left.getKey(), rows);
                            pendingRows += left.getValue().size();
                        }
                    }
                    throw failure;
                }
            }
            synchronized (this) {
                committedRows = Math.max(committedRows, upTo);
            }
        } finally {
            flushLock.unlock();
        }
    }

    private long append(T t, List<Object[]> rows) {
        try {
            return appendOnce(t, rows);
        } catch (StorageException transientRead) {
            // A log listing taken while other processes commit can miss the newest files for a moment,
            // so one more attempt on a fresh listing is worth it, but only if the first attempt did
            // not commit after all: its rows' batch id tells.
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw transientRead;
            }
            if (landed(t, rows)) {
                return tables.get(t).latest().version();
            }
            return appendOnce(t, rows);
        }
    }

    /**
     * Whether rows of this batch are already in the table: the batch id is every other table's last
     * column; metric points are found by the series of their first row.
     */
    boolean landed(T t, List<Object[]> rows) {
        Object[] first = rows.get(0);
        String batch = (String) first[first.length - 1];
        String where = t == T.METRICS ? "series = " + seriesNumber((String) first[0], batch) : "batch_id = " + literal(batch);
        try (Rows found = lakehouse.sql("SELECT 1 FROM " + t.table + " WHERE " + where + " LIMIT 1")) {
            return found.next();
        }
    }

    /** Notes this process's own commit, so that it alone does not make the view reload. */
    private synchronized void committed(T t, long version) {
        Long known = knownVersions.get(t);
        if (known != null && known == version - 1) {
            knownVersions.put(t, version);
        }
    }

    private long appendOnce(T t, List<Object[]> rows) {
        if (t == T.METRICS) {
            // pending metric rows are always columns (rowsFor)
            return appendMetrics((MetricRows) rows);
        }
        Path csv = null;
        try {
            csv = Files.createTempFile("kiln-tracking-", ".csv");
            try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                StringBuilder line = new StringBuilder(256);
                for (Object[] row : rows) {
                    line.setLength(0);
                    for (int i = 0; i < row.length; i++) {
                        if (i > 0) {
                            line.append(',');
                        }
                        Object v = row[i];
                        if (v == null) {
                            continue;
                        }
                        if (v instanceof String s) {
                            line.append('"');
                            for (int c = 0; c < s.length(); c++) {
                                char ch = s.charAt(c);
                                if (ch == '"') {
                                    line.append('"');
                                }
                                line.append(ch);
                            }
                            line.append('"');
                        } else {
                            line.append(v);
                        }
                    }
                    line.append('\n');
                    w.append(line);
                }
            }
            StringBuilder columns = new StringBuilder();
            for (int i = 0; i < t.columns.size(); i++) {
                columns.append(i == 0 ? "" : ", ").append(literal(t.columns.get(i))).append(": ").append(literal(t.types.get(i)));
            }
            String sql = "SELECT * FROM read_csv(" + literal(csv.toString()) + ", columns = {" + columns + "}, header = false, "
                    + "auto_detect = false, delim = ',', quote = '\"', escape = '\"', allow_quoted_nulls = false, "
                    + "strict_mode = true)";
            return tables.get(t).append(WriteSource.query(sql)).version();
        } catch (IOException e) {
            throw new StorageException("Cannot stage tracking rows for " + t.table + ": " + e.getMessage(), e);
        } finally {
            if (csv != null) {
                try {
                    Files.deleteIfExists(csv);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /**
     * Metric rows go out lean: the run id, experiment id and batch id, the same for every point of
     * a run's batch, become one {@code system.metric_series} row, committed first, and each point
     * carries only that series' number, its key, value, step and timestamp.
     */
    private long appendMetrics(MetricRows points) {
        Path csv = null;
        try {
            csv = Files.createTempFile("kiln-metrics-", ".csv");
            Map<String, Long> series = new LinkedHashMap<>();
            StringBuilder owners = new StringBuilder();
            try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                StringBuilder line = new StringBuilder(64);
                String lastRun = null;
                String lastBatch = null;
                long number = 0;
                for (int i = 0; i < points.size(); i++) {
                    String run = points.runId(i);
                    String batch = points.batchId(i);
                    if (!batch.equals(lastBatch) || !run.equals(lastRun)) {
                        Long known = series.get(run + "/" + batch);
                        if (known == null) {
                            known = seriesNumber(run, batch);
                            series.put(run + "/" + batch, known);
                            owners.append(owners.length() == 0 ? "" : ", ").append('(').append(known).append(", ")
                                    .append(literal(run)).append(", ").append(literal(points.experimentId(i))).append(", ")
                                    .append(literal(batch)).append(')');
                        }
                        number = known;
                        lastRun = run;
                        lastBatch = batch;
                    }
                    line.setLength(0);
                    line.append(number).append(",\"");
                    String k = points.key(i);
                    for (int c = 0; c < k.length(); c++) {
                        char ch = k.charAt(c);
                        if (ch == '"') {
                            line.append('"');
                        }
                        line.append(ch);
                    }
                    line.append("\",").append(points.value(i)).append(',').append(points.step(i)).append(',')
                            .append(points.timestamp(i)).append('\n');
                    w.append(line);
                }
            }
            committed(T.METRIC_SERIES, tables.get(T.METRIC_SERIES).append(WriteSource.query(
                    "SELECT * FROM (VALUES " + owners + ") AS s(series, run_id, experiment_id, batch_id)")).version());
            String sql = "SELECT * FROM read_csv(" + literal(csv.toString()) + ", columns = {'series': 'BIGINT', 'key': 'VARCHAR', "
                    + "'value': 'DOUBLE', 'step': 'BIGINT', 'timestamp': 'BIGINT'}, header = false, auto_detect = false, delim = ',', "
                    + "quote = '\"', escape = '\"', allow_quoted_nulls = false, strict_mode = true)";
            return tables.get(T.METRICS).append(WriteSource.query(sql)).version();
        } catch (IOException e) {
            throw new StorageException("Cannot stage metric points: " + e.getMessage(), e);
        } finally {
            if (csv != null) {
                try {
                    Files.deleteIfExists(csv);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /**
     * The series number of a run's points in one batch: the same for the same run and batch in
     * every process and on every retry, so a repeated commit repeats rows rather than inventing new
     * series. Non-negative, 63 bits of SHA-256.
     */
    static long seriesNumber(String runId, String batchId) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((runId + "/" + batchId).getBytes(StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(digest).getLong() & Long.MAX_VALUE;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** The metric points with their run, experiment and batch, as SQL; readers go through this. */
    static final String METRIC_POINTS = "(SELECT s.run_id, s.experiment_id, s.batch_id, m.key, m.value, m.step, m.timestamp FROM "
            + T.METRICS.table + " AS m JOIN (SELECT DISTINCT series, run_id, experiment_id, batch_id FROM " + T.METRIC_SERIES.table
            + ") AS s USING (series))";

    private void maybeCommit() {
        int rows;
        synchronized (this) {
            rows = pendingRows;
        }
        if (rows >= BLOCKING_THRESHOLD) {
            flush();
        } else if (rows >= COMMIT_THRESHOLD && commitQueued.compareAndSet(false, true)) {
            try {
                committer.execute(() -> {
                    try {
                        flush();
                    } catch (RuntimeException failure) {
                        // The rows went back to pending: the next commit retries them, and a flush
                        // the caller waits for (or a full buffer) reports the failure if it lasts.
                    } finally {
                        commitQueued.set(false);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                commitQueued.set(false);
                flush();
            }
        }
    }

    // ------------------------------------------------------------------ experiments

    static String experimentId(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public Experiment createExperiment(String name, Map<String, String> tags, long now,
            Function<String, String> artifactLocation) {
        String id = experimentId(name);
        String batch;
        synchronized (this) {
            refresh(true);
            Exp existing = state.experiments.get(id);
            if (existing != null) {
                throw exists(existing.experiment);
            }
            batch = nextBatchId();
            long ts = nextTs();
            add(T.EXPERIMENTS, new Object[] {id, name, artifactLocation.apply(id), LifecycleStage.ACTIVE.name(), "create",
                now, ts, batch});
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                add(T.EXPERIMENT_TAGS, new Object[] {id, tag.getKey(), tag.getValue(), now, nextTs(), batch});
            }
        }
        flush();
        // first writer wins: another process may have created the same name concurrently
        String winner = null;
        try (Rows rows = lakehouse.sql("SELECT batch_id FROM " + T.EXPERIMENTS.table + " WHERE experiment_id = " + literal(id)
                + " AND event = 'create' ORDER BY event_ts, batch_id LIMIT 1")) {
            if (rows.next()) {
                winner = (String) rows.get(0);
            }
        }
        synchronized (this) {
            if (winner != null && !winner.equals(batch)) {
                reload();
                throw exists(state.experiments.get(id).experiment);
            }
            return state.experiments.get(id).experiment;
        }
    }

    private static AlreadyExistsException exists(Experiment e) {
        return new AlreadyExistsException("Experiment '" + e.name() + "' already exists"
                + (e.lifecycleStage() == LifecycleStage.DELETED
                        ? " (deleted); restore it with restoreExperiment or choose another name." : "."));
    }

    @Override
    public synchronized Optional<Experiment> experimentById(String id) {
        refresh(false);
        Exp e = state.experiments.get(id);
        if (e == null) {
            refresh(true);
            e = state.experiments.get(id);
        }
        return e == null ? Optional.empty() : Optional.of(e.experiment);
    }

    @Override
    public synchronized Optional<Experiment> experimentByName(String name) {
        return experimentById(experimentId(name)).filter(e -> e.name().equals(name));
    }

    @Override
    public synchronized List<Experiment> experiments() {
        refresh(true);
        return state.experiments.values().stream().map(e -> e.experiment).toList();
    }

    @Override
    public void setExperimentStage(String experimentId, LifecycleStage stage, long now) {
        synchronized (this) {
            Experiment e = experiment(experimentId);
            add(T.EXPERIMENTS, new Object[] {experimentId, e.name(), e.artifactLocation(), stage.name(), "stage", now, nextTs(),
                nextBatchId()});
        }
        flush();
    }

    @Override
    public void setExperimentTag(String experimentId, String key, String value, long now) {
        synchronized (this) {
            experiment(experimentId);
            add(T.EXPERIMENT_TAGS, new Object[] {experimentId, key, value, now, nextTs(), nextBatchId()});
        }
        flush();
    }

    private Experiment experiment(String id) {
        return experimentById(id).orElseThrow(() -> new NotFoundException("Experiment with id '" + id + "' does not exist."));
    }

    // ------------------------------------------------------------------ runs

    private static Object[] runRow(RunInfo info, long ts, String batch) {
        return new Object[] {info.runId(), info.experimentId(), info.runName(), info.userId(), info.status().name(),
            info.startTime(), info.endTime(), info.artifactUri(), info.lifecycleStage().name(), info.parentRunId(), ts, batch};
    }

    @Override
    public synchronized void createRun(RunInfo info, Map<String, String> tags) {
        experiment(info.experimentId());
        if (state.runs.containsKey(info.runId())) {
            throw new AlreadyExistsException("Run '" + info.runId() + "' already exists.");
        }
        String batch = nextBatchId();
        add(T.RUNS, runRow(info, nextTs(), batch));
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (!derived(info, tag.getKey(), tag.getValue())) {
                add(T.TAGS, new Object[] {info.runId(), info.experimentId(), tag.getKey(), tag.getValue(), nextTs(), batch});
            }
        }
    }

    private RunState runState(String runId) {
        refresh(false);
        RunState r = state.runs.get(runId);
        if (r == null) {
            refresh(true);
            r = state.runs.get(runId);
        }
        return r;
    }

    @Override
    public synchronized Optional<RunRecord> run(String runId) {
        RunState r = runState(runId);
        return r == null ? Optional.empty() : Optional.of(r.record());
    }

    private RunState stored(String runId) {
        RunState r = runState(runId);
        if (r == null) {
            throw new NotFoundException("Run '" + runId + "' does not exist.");
        }
        return r;
    }

    @Override
    public synchronized void updateRunInfo(RunInfo info) {
        stored(info.runId());
        add(T.RUNS, runRow(info, nextTs(), nextBatchId()));
    }

    @Override
    public void logBatch(String runId, LogBatch batch) {
        synchronized (this) {
            RunState r = stored(runId);
            for (Map.Entry<String, String> p : batch.params().entrySet()) {
                String old = r.params.get(p.getKey());
                if (old != null && !old.equals(p.getValue())) {
                    throw InMemoryTrackingStore.ParamConflict.of(runId, p.getKey(), old, p.getValue());
                }
            }
            String exp = r.info.experimentId();
            String id = nextBatchId();
            long ts = nextTs();
            for (MetricPoint m : batch.metrics()) {
                // applied from the point itself: the row only goes to the table
                applyMetric(r, m);
                queueMetric(runId, exp, id, m);
            }
            for (Map.Entry<String, String> p : batch.params().entrySet()) {
                if (!p.getValue().equals(r.params.get(p.getKey()))) {
                    add(T.PARAMS, new Object[] {runId, exp, p.getKey(), p.getValue(), ts, id});
                }
            }
            for (Map.Entry<String, String> tag : batch.tags().entrySet()) {
                add(T.TAGS, new Object[] {runId, exp, tag.getKey(), tag.getValue(), ts, id});
            }
            for (String key : batch.deletedTags()) {
                add(T.TAGS, new Object[] {runId, exp, key, null, nextTs(), id});
            }
            for (DatasetInput in : batch.inputs()) {
                add(T.INPUTS, new Object[] {runId, exp, in.name(), in.version(), in.context(), in.digest(), ts, id});
            }
        }
        maybeCommit();
    }

    @Override
    public List<MetricPoint> metricHistory(String runId, String key) {
        synchronized (this) {
            stored(runId);
        }
        flush();
        List<MetricPoint> out = new ArrayList<>();
        Set<String> refused = refusedBatches(runId);
        // the run's series first, then their points from the points table alone, which keeps the order they were logged in
        List<String> series = new ArrayList<>();
        query("SELECT DISTINCT series, batch_id FROM " + T.METRIC_SERIES.table + " WHERE run_id = " + literal(runId), 2, row -> {
            if (!refused.contains((String) row[1])) {
                series.add(row[0].toString());
            }
        });
        if (!series.isEmpty()) {
            query("SELECT key, value, step, timestamp FROM " + T.METRICS.table + " WHERE key = " + literal(key) + " AND series IN ("
                    + String.join(", ", series) + ")", 4,
                    row -> out.add(new MetricPoint((String) row[0], (Double) row[1], (Long) row[2], (Long) row[3])));
        }
        return out;
    }

    private Set<String> refusedBatches(String runId) {
        Set<String> refused = new HashSet<>();
        Map<String, String> first = new HashMap<>();
        query("SELECT key, value, batch_id FROM " + T.PARAMS.table + " WHERE run_id = " + literal(runId)
                + " ORDER BY event_ts, batch_id", 3, row -> {
                    String old = first.putIfAbsent((String) row[0], (String) row[1]);
                    if (old != null && !old.equals(row[1])) {
                        refused.add((String) row[2]);
                    }
                });
        return refused;
    }

    @Override
    public synchronized Iterable<RunRecord> runsOf(Collection<String> experimentIds) {
        List<RunRecord> out = new ArrayList<>();
        for (String id : experimentIds) {
            Exp e = state.experiments.get(id);
            if (e == null) {
                continue;
            }
            for (String runId : e.runIds) {
                RunState r = state.runs.get(runId);
                if (r != null && r.info != null) {
                    out.add(r.record());
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            committer.shutdown();
        }
    }
}
