package dev.kiln.duckdb;

import dev.kiln.AlreadyExistsException;
import dev.kiln.ConflictException;
import dev.kiln.InvalidArgumentException;
import dev.kiln.KilnException;
import dev.kiln.SchemaMismatchException;
import dev.kiln.StorageException;
import dev.kiln.duckdb.delta.Action;
import dev.kiln.duckdb.delta.AddFile;
import dev.kiln.duckdb.delta.CommitEntry;
import dev.kiln.duckdb.delta.CommitInfoAction;
import dev.kiln.duckdb.delta.CommitRaceException;
import dev.kiln.duckdb.delta.DeltaLog;
import dev.kiln.duckdb.delta.LogSnapshot;
import dev.kiln.duckdb.delta.Metadata;
import dev.kiln.duckdb.delta.Protocol;
import dev.kiln.duckdb.delta.RemoveFile;
import dev.kiln.duckdb.delta.SchemaJson;
import dev.kiln.duckdb.delta.SnapshotRelation;
import dev.kiln.lakehouse.CommitInfo;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.MergeSpec;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.Snapshot;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.VacuumResult;
import dev.kiln.lakehouse.WriteMode;
import dev.kiln.lakehouse.WriteOptions;
import dev.kiln.lakehouse.WriteSource;
import dev.kiln.spi.CommitContext;
import dev.kiln.spi.StorageContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A Delta table written through DuckDB. Each operation reads the latest snapshot, writes new data
 * files, and publishes one commit; on a lost race it either retries (blind appends) or checks what
 * the winners did and fails with {@link ConflictException} if they touched what it read.
 */
final class DeltaTable implements Table {
    static final String ENGINE = "Kiln/0.1.0 DuckDB/2.0";
    private static final int MAX_ATTEMPTS = 10_000;

    private final DuckEngine engine;
    private final StorageContext storage;
    private final Path location;
    private final String name;
    private final CommitContext context;
    private final DeltaLog log;

    DeltaTable(DuckEngine engine, StorageContext storage, DeltaLog log, Path location, String name, CommitContext context) {
        this.engine = engine;
        this.storage = storage;
        this.location = location;
        this.name = name;
        this.context = context;
        this.log = log;
    }

    static DeltaTable create(DuckEngine engine, StorageContext storage, DeltaLog log, Path location, TableDefinition definition,
            CommitContext context) {
        DeltaTable table = new DeltaTable(engine, storage, log, location, definition.name(), context);
        boolean ntz = usesNtz(definition.schema().fields());
        Protocol protocol = ntz ? new Protocol(3, 7, Set.of("timestampNtz"), Set.of("timestampNtz")) : new Protocol(1, 2, null, null);
        Metadata metadata = new Metadata(UUID.randomUUID().toString(), null, definition.description(),
                SchemaJson.toJson(definition.schema()), definition.partitionColumns(), definition.properties(), System.currentTimeMillis());
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("partitionBy", definition.partitionColumns().toString());
        parameters.put("description", definition.description());
        List<Action> actions = new ArrayList<>();
        actions.add(table.commitInfo("CREATE TABLE", parameters, Map.of(), System.currentTimeMillis(), -1, false));
        actions.add(protocol);
        actions.add(metadata);
        try {
            table.log.commit(0, actions);
        } catch (CommitRaceException e) {
            throw new AlreadyExistsException("Table '" + definition.name() + "' was created by another writer at the same time.", e);
        }
        return table;
    }

    private static boolean usesNtz(List<Field> fields) {
        for (Field f : fields) {
            if (containsNtz(f.type())) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsNtz(DataType type) {
        if (type == DataType.Primitive.TIMESTAMP_NTZ) {
            return true;
        }
        if (type instanceof DataType.Array a) {
            return containsNtz(a.element());
        }
        if (type instanceof DataType.MapType m) {
            return containsNtz(m.key()) || containsNtz(m.value());
        }
        return type instanceof DataType.Struct s && usesNtz(s.fields());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path location() {
        return location;
    }

    @Override
    public Snapshot latest() {
        return new DeltaSnapshot(engine, log.latest());
    }

    @Override
    public Snapshot asOfVersion(long version) {
        return new DeltaSnapshot(engine, log.atVersion(version));
    }

    @Override
    public Snapshot asOfTimestamp(Instant timestamp) {
        return new DeltaSnapshot(engine, log.atTimestamp(timestamp));
    }

    @Override
    public List<CommitInfo> history() {
        List<CommitInfo> history = new ArrayList<>();
        for (CommitEntry entry : log.history()) {
            history.add(HistoryEntries.toCommitInfo(entry));
        }
        return history;
    }

    // ---------------------------------------------------------------- writes

    @Override
    public CommitInfo write(WriteSource source, WriteOptions options) {
        LogSnapshot read = log.latest();
        String operation = "WRITE";
        List<AddFile> written = List.of();
        try (Connection connection = engine.connect();
                Sources.Relation relation = Sources.of(connection, engine, storage.relations(), source, read.schema(), name)) {
            Sources.Columns columns = Sources.columns(connection, source, relation.sql());
            Schema schema = Conformance.evolve(read.schema(), columns.types(), options.mergeSchema(), name);
            String select = Conformance.select(schema, columns.types(), columns.exact(), relation.sql(), relation.text(), name);
            checkNotNull(connection, select, schema);
            written = writeFiles(connection, select, read, schema, true);
            List<Action> actions = new ArrayList<>();
            if (!schema.equals(read.schema())) {
                actions.add(withSchema(read.metadata(), schema));
            }
            actions.addAll(written);
            Set<String> readPaths = new HashSet<>();
            if (options.mode() == WriteMode.OVERWRITE) {
                long now = System.currentTimeMillis();
                for (AddFile file : read.files()) {
                    actions.add(remove(file, now, true));
                    readPaths.add(file.path());
                }
            }
            long rows = countRows(written);
            Map<String, Object> parameters = Map.of("mode", options.mode() == WriteMode.APPEND ? "Append" : "Overwrite",
                    "partitionBy", read.metadata().partitionColumns().toString());
            Map<String, Long> metrics = Map.of("numFiles", (long) written.size(), "numOutputRows", rows,
                    "numOutputBytes", written.stream().mapToLong(AddFile::size).sum());
            Kind kind = options.mode() == WriteMode.OVERWRITE ? Kind.OVERWRITE
                    : schema.equals(read.schema()) ? Kind.BLIND_APPEND : Kind.METADATA;
            return commit(read, operation, parameters, metrics, actions, kind, readPaths);
        } catch (SQLException e) {
            cleanUp(written);
            throw sourceError(source, e);
        } catch (RuntimeException e) {
            cleanUp(written);
            throw e;
        }
    }

    @Override
    public CommitInfo delete(String sqlCondition) {
        requireCondition(sqlCondition, "delete");
        return rewrite("DELETE", Map.of("predicate", sqlCondition), sqlCondition,
                (snapshot, relation) -> "SELECT * FROM (" + relation + ") AS t WHERE NOT coalesce((" + sqlCondition + "), false)");
    }

    @Override
    public CommitInfo update(String sqlCondition, Map<String, String> assignments) {
        requireCondition(sqlCondition, "update");
        if (assignments == null || assignments.isEmpty()) {
            throw new InvalidArgumentException("An update of " + name + " needs at least one assignment, e.g. Map.of(\"x\", \"x + 1\").");
        }
        return rewrite("UPDATE", Map.of("predicate", sqlCondition), sqlCondition, (snapshot, relation) -> {
            Schema schema = snapshot.schema();
            Map<String, String> byColumn = new LinkedHashMap<>();
            for (Map.Entry<String, String> a : assignments.entrySet()) {
                Field field = schema.field(a.getKey()).orElseThrow(() -> new InvalidArgumentException("Update of " + name
                        + " assigns unknown column '" + a.getKey() + "' (columns: " + schema.names() + ")."));
                byColumn.put(field.name(), a.getValue());
            }
            StringBuilder select = new StringBuilder("SELECT ");
            for (int i = 0; i < schema.fields().size(); i++) {
                Field f = schema.fields().get(i);
                String q = DuckEngine.quote(f.name());
                select.append(i == 0 ? "" : ", ");
                String expression = byColumn.get(f.name());
                if (expression == null) {
                    select.append(q);
                } else {
                    select.append("CASE WHEN coalesce((").append(sqlCondition).append("), false) THEN CAST((").append(expression)
                            .append(") AS ").append(DuckTypes.duck(f.type())).append(") ELSE ").append(q).append(" END AS ").append(q);
                }
            }
            return select.append(" FROM (").append(relation).append(") AS t").toString();
        });
    }

    @Override
    public CommitInfo merge(MergeSpec spec) {
        return new Merge(this, spec).run();
    }

    @Override
    public CommitInfo optimize() {
        LogSnapshot read = log.latest();
        Map<Map<String, String>, List<AddFile>> groups = new LinkedHashMap<>();
        for (AddFile file : read.files()) {
            Map<String, String> key = file.partitionValues() == null ? Map.of() : file.partitionValues();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(file);
        }
        List<AddFile> toCompact = new ArrayList<>();
        for (List<AddFile> group : groups.values()) {
            boolean hasDeletes = group.stream().anyMatch(f -> f.deletionVector() != null);
            if (group.size() > 1 || hasDeletes) {
                toCompact.addAll(group);
            }
        }
        if (toCompact.isEmpty()) {
            return history().get(0);
        }
        List<AddFile> written = List.of();
        try (Connection connection = engine.connect()) {
            String select = "SELECT * FROM (" + SnapshotRelation.sql(engine, read, toCompact) + ")";
            written = writeFiles(connection, select, read, read.schema(), false);
            List<Action> actions = new ArrayList<>(written);
            long now = System.currentTimeMillis();
            Set<String> readPaths = new HashSet<>();
            for (AddFile file : toCompact) {
                actions.add(remove(file, now, false));
                readPaths.add(file.path());
            }
            Map<String, Long> metrics = Map.of("numRemovedFiles", (long) toCompact.size(), "numAddedFiles", (long) written.size());
            return commit(read, "OPTIMIZE", Map.of("predicate", "[]"), metrics, actions, Kind.REWRITE, readPaths);
        } catch (SQLException e) {
            cleanUp(written);
            throw new StorageException("Optimize of " + name + " failed: " + Sql.message(e), e);
        } catch (RuntimeException e) {
            cleanUp(written);
            throw e;
        }
    }

    @Override
    public VacuumResult vacuum(Duration retention, boolean force) {
        return new Vacuum(log, name).run(retention, force);
    }

    @Override
    public long checkpoint() {
        LogSnapshot snapshot = log.latest();
        log.writeCheckpoint(snapshot);
        return snapshot.version();
    }

    // ---------------------------------------------------------------- shared machinery

    /** How a commit reacts to writers that won the race for its version. */
    enum Kind {
        /** Adds files only: retried at the next version unless the winner changed the schema. */
        BLIND_APPEND,
        /** Replaces everything: any concurrent data change is a conflict. */
        OVERWRITE,
        /** Rewrites some files: a conflict if a winner removed any of them. */
        REWRITE,
        /** Changes metadata: any concurrent metadata change is a conflict. */
        METADATA
    }

    /** What a copy-on-write operation keeps of the files it touches. */
    interface Rewriter {
        String select(LogSnapshot snapshot, String relation);
    }

    private CommitInfo rewrite(String operation, Map<String, Object> parameters, String condition, Rewriter rewriter) {
        LogSnapshot read = log.latest();
        List<AddFile> written = List.of();
        try (Connection connection = engine.connect()) {
            validateCondition(connection, read, condition, operation);
            List<AddFile> touched = new ArrayList<>();
            long matched = 0;
            for (AddFile file : FilePruner.prune(connection, read, condition)) {
                long n = Sql.queryLong(connection, "SELECT count(*) FROM (" + SnapshotRelation.sql(engine, read, List.of(file))
                        + ") AS t WHERE coalesce((" + condition + "), false)");
                if (n > 0) {
                    touched.add(file);
                    matched += n;
                }
            }
            List<Action> actions = new ArrayList<>();
            Set<String> readPaths = new HashSet<>();
            if (!touched.isEmpty()) {
                String select = rewriter.select(read, SnapshotRelation.sql(engine, read, touched));
                written = writeFiles(connection, select, read, read.schema(), true);
                actions.addAll(written);
                long now = System.currentTimeMillis();
                for (AddFile file : touched) {
                    actions.add(remove(file, now, true));
                    readPaths.add(file.path());
                }
            }
            String metric = operation.equals("DELETE") ? "numDeletedRows" : "numUpdatedRows";
            Map<String, Long> metrics = Map.of(metric, matched, "numRemovedFiles", (long) touched.size(),
                    "numAddedFiles", (long) written.size());
            return commit(read, operation, parameters, metrics, actions, Kind.REWRITE, readPaths);
        } catch (SQLException e) {
            cleanUp(written);
            throw new InvalidArgumentException(operation + " on " + name + " failed: " + Sql.message(e), e);
        } catch (RuntimeException e) {
            cleanUp(written);
            throw e;
        }
    }

    private void validateCondition(Connection connection, LogSnapshot read, String condition, String operation) {
        try {
            Sql.queryLong(connection, "SELECT count(*) FROM (" + SnapshotRelation.sql(engine, read, List.of()) + ") AS t WHERE "
                    + condition);
        } catch (SQLException e) {
            throw new InvalidArgumentException(operation + " on " + name + ": condition '" + condition + "' is not valid SQL over columns "
                    + read.schema().names() + ": " + Sql.message(e), e);
        }
    }

    private void requireCondition(String condition, String operation) {
        if (condition == null || condition.isBlank()) {
            throw new InvalidArgumentException("A " + operation + " on " + name + " needs a SQL condition (use \"true\" for every row).");
        }
    }

    List<AddFile> writeFiles(Connection connection, String select, LogSnapshot read, Schema schema, boolean dataChange)
            throws SQLException {
        return DataFiles.write(connection, select, location, schema, read.metadata().partitionColumns(), dataChange);
    }

    LogSnapshot readLatest() {
        return log.latest();
    }

    DuckEngine engine() {
        return engine;
    }

    StorageContext storage() {
        return storage;
    }

    static RemoveFile remove(AddFile file, long now, boolean dataChange) {
        return new RemoveFile(file.path(), now, dataChange, file.partitionValues(), file.size(), file.deletionVector());
    }

    static Metadata withSchema(Metadata metadata, Schema schema) {
        return new Metadata(metadata.id(), metadata.name(), metadata.description(), SchemaJson.toJson(schema),
                metadata.partitionColumns(), metadata.configuration(), metadata.createdTime());
    }

    private void checkNotNull(Connection connection, String select, Schema schema) throws SQLException {
        StringBuilder anyNull = new StringBuilder();
        for (Field f : schema.fields()) {
            if (!f.nullable()) {
                anyNull.append(anyNull.isEmpty() ? "" : " OR ").append(DuckEngine.quote(f.name())).append(" IS NULL");
            }
        }
        if (!anyNull.isEmpty() && Sql.queryLong(connection, "SELECT count(*) FROM (" + select + ") WHERE " + anyNull) > 0) {
            throw new SchemaMismatchException("Rows written to " + name + " have NULL in a NOT NULL column ("
                    + schema.fields().stream().filter(f -> !f.nullable()).map(Field::name).toList() + "); nothing was written.");
        }
    }

    private KilnException sourceError(WriteSource source, SQLException e) {
        String message = Sql.message(e);
        if (message.contains("Conversion Error") || message.contains("Could not convert") || message.contains("Invalid Input Error: Could not")) {
            return new SchemaMismatchException("Rows from " + describeSource(source) + " do not fit table " + name + ": " + message
                    + ". Nothing was written.", e);
        }
        return new InvalidArgumentException("Cannot read " + describeSource(source) + " for table " + name + ": " + message
                + ". Nothing was written.", e);
    }

    private static String describeSource(WriteSource source) {
        if (source instanceof WriteSource.Csv csv) {
            return "CSV file " + csv.path();
        }
        if (source instanceof WriteSource.Parquet parquet) {
            return "Parquet file " + parquet.path();
        }
        if (source instanceof WriteSource.Query query) {
            return "query '" + query.sql() + "'";
        }
        return source instanceof WriteSource.ArrowBatches ? "Arrow batches" : "the given rows";
    }

    void cleanUp(List<AddFile> written) {
        for (AddFile file : written) {
            DataFiles.deleteQuietly(location.resolve(DataFiles.percentDecode(file.path())));
        }
    }

    private static long countRows(List<AddFile> files) {
        long rows = 0;
        for (AddFile file : files) {
            rows += HistoryEntries.numRecords(file.stats());
        }
        return rows;
    }

    CommitInfoAction commitInfo(String operation, Map<String, Object> parameters, Map<String, Long> metrics, long timestamp,
            long readVersion, boolean blindAppend) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("timestamp", timestamp);
        values.put("userName", context.principal().name());
        values.put("operation", operation);
        Map<String, String> params = new LinkedHashMap<>();
        parameters.forEach((k, v) -> params.put(k, String.valueOf(v)));
        values.put("operationParameters", params);
        Map<String, String> metricStrings = new LinkedHashMap<>();
        metrics.forEach((k, v) -> metricStrings.put(k, String.valueOf(v)));
        values.put("operationMetrics", metricStrings);
        if (readVersion >= 0) {
            values.put("readVersion", readVersion);
        }
        values.put("isolationLevel", "WriteSerializable");
        values.put("isBlindAppend", blindAppend);
        values.put("engineInfo", ENGINE);
        values.put("txnId", UUID.randomUUID().toString());
        context.extra().forEach(values::put);
        return new CommitInfoAction(values);
    }

    /** Publishes actions as the version after {@code read}, handling races as {@code kind} allows. */
    CommitInfo commit(LogSnapshot read, String operation, Map<String, Object> parameters, Map<String, Long> metrics,
            List<Action> actions, Kind kind, Set<String> readPaths) {
        long version = read.version() + 1;
        long lastTimestamp = read.timestamp().toEpochMilli();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long timestamp = Math.max(System.currentTimeMillis(), lastTimestamp + 1);
            List<Action> all = new ArrayList<>(actions.size() + 1);
            all.add(commitInfo(operation, parameters, metrics, timestamp, read.version(), kind == Kind.BLIND_APPEND));
            all.addAll(actions);
            try {
                log.commit(version, all);
                maybeCheckpoint(version, read);
                return new CommitInfo(version, Instant.ofEpochMilli(timestamp), operation, context.principal().name(), ENGINE,
                        stringMap(parameters), metrics);
            } catch (CommitRaceException race) {
                List<Action> winner = log.readCommit(version);
                checkConflict(kind, winner, readPaths, version, operation);
                lastTimestamp = Math.max(lastTimestamp, HistoryEntries.timestampOf(winner));
                version++;
            }
        }
        throw new ConflictException(operation + " on " + name + " lost " + MAX_ATTEMPTS + " commit races in a row; retry later.");
    }

    private void checkConflict(Kind kind, List<Action> winner, Set<String> readPaths, long version, String operation) {
        for (Action action : winner) {
            if (action instanceof Metadata || action instanceof Protocol) {
                throw new ConflictException(operation + " on " + name + " conflicts with version " + version
                        + ", which changed the table's schema or protocol concurrently. Nothing was written; re-read and retry.");
            }
            if (kind == Kind.OVERWRITE && ((action instanceof AddFile a && a.dataChange()) || (action instanceof RemoveFile r && r.dataChange()))) {
                throw new ConflictException(operation + " on " + name + " conflicts with version " + version
                        + ", which changed the table's data concurrently. Nothing was written; re-read and retry.");
            }
            if ((kind == Kind.REWRITE || kind == Kind.OVERWRITE) && action instanceof RemoveFile r && readPaths.contains(r.path())) {
                throw new ConflictException(operation + " on " + name + " conflicts with version " + version
                        + ", which concurrently rewrote or deleted file " + r.path() + " that this operation read. Nothing was written; retry.");
            }
        }
    }

    private void maybeCheckpoint(long version, LogSnapshot read) {
        String configured = read.metadata().configuration() == null ? null : read.metadata().configuration().get("delta.checkpointInterval");
        String workspaceDefault = storage.properties().getOrDefault("checkpoint.interval", "10");
        int interval = Integer.parseInt(configured != null ? configured : workspaceDefault);
        if (interval > 0 && version % interval == 0) {
            try {
                log.checkpointCommitted(version);
            } catch (KilnException e) {
                // the commit stands; a missing checkpoint only makes the next open read more log
                org.slf4j.LoggerFactory.getLogger(DeltaTable.class).warn("Checkpoint of {} at version {} failed: {}", name, version, e.getMessage());
            }
        }
    }

    private static Map<String, String> stringMap(Map<String, Object> parameters) {
        Map<String, String> out = new LinkedHashMap<>();
        parameters.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
