package dev.kiln.duckdb.delta;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.InvalidArgumentException;
import dev.kiln.KilnException;
import dev.kiln.NotFoundException;
import dev.kiln.StorageException;
import dev.kiln.UnsupportedFeatureException;
import dev.kiln.duckdb.DuckEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transaction log of one Delta table: reads snapshots (JSON commits plus classic, multi-part
 * and V2 checkpoints), writes commits by put-if-absent and writes classic checkpoints.
 *
 * <p>Instances are cheap and thread-safe; they keep the last reconstructed state so that reading
 * the latest snapshot again only reads the commits written since.
 */
public final class DeltaLog {
    /** Reader features this reader implements. */
    public static final Set<String> SUPPORTED_READER_FEATURES = Set.of("columnMapping", "deletionVectors", "timestampNtz",
            "v2Checkpoint", "vacuumProtocolCheck", "typeWidening", "typeWidening-preview");
    /** Highest reader version this reader implements. */
    public static final int MAX_READER_VERSION = 3;

    private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");
    private static final Pattern CLASSIC = Pattern.compile("(\\d{20})\\.checkpoint\\.parquet");
    private static final Pattern MULTI = Pattern.compile("(\\d{20})\\.checkpoint\\.(\\d{10})\\.(\\d{10})\\.parquet");
    private static final Pattern UUID_CP = Pattern.compile("(\\d{20})\\.checkpoint\\.([0-9A-Fa-f]{8}-[0-9A-Fa-f-]{27})\\.(json|parquet)");

    private final Path tableDir;
    private final Path logDir;
    private final DuckEngine engine;
    private State cache;

    private volatile boolean fsync = true;

    private DeltaLog(Path tableDir, DuckEngine engine) {
        this.tableDir = tableDir.toAbsolutePath().normalize();
        this.logDir = this.tableDir.resolve("_delta_log");
        this.engine = engine;
    }

    /**
     * Returns the log of a table directory. No I/O happens here.
     *
     * @param tableDir the table root (the folder holding {@code _delta_log})
     * @param engine the DuckDB engine used to read and write Parquet checkpoints
     * @return the log
     */
    public static DeltaLog forTable(Path tableDir, DuckEngine engine) {
        return new DeltaLog(tableDir, engine);
    }

    /**
     * Forgets the parsed checkpoints this process keeps (by file identity) across logs, so that the
     * next read of any table parses its checkpoint from disk again, as a newly started process would.
     * For benchmarks and tests; correctness never depends on it.
     */
    public static void dropCachedCheckpoints() {
        CheckpointReader.clearCache();
    }

    /**
     * Sets whether each commit file is forced to disk before it is published (the default). Without
     * it a commit survives a crash of the process but may be lost on a power failure or kernel crash,
     * as with Hadoop's local file system; commits are then several milliseconds faster on disks with
     * slow flushes.
     *
     * @param on whether to fsync commit files
     * @return this log
     */
    public DeltaLog fsync(boolean on) {
        this.fsync = on;
        return this;
    }

    /**
     * Returns the table root.
     *
     * @return the absolute table directory
     */
    public Path tableDir() {
        return tableDir;
    }

    /**
     * Tells whether the table exists.
     *
     * @return true if {@code _delta_log} holds at least one commit or checkpoint
     */
    public boolean exists() {
        return !latestListing().isEmpty();
    }

    /**
     * Returns the latest version.
     *
     * @return the newest commit or checkpoint version, or -1 if there is none
     */
    public long latestVersion() {
        return latestListing().latest();
    }

    /**
     * Reads the latest snapshot.
     *
     * @return the snapshot
     * @throws NotFoundException if there is no table
     * @throws UnsupportedFeatureException naming a protocol version or feature Kiln does not read
     * @throws StorageException for a broken log (missing protocol or metadata, missing versions...)
     */
    public LogSnapshot latest() {
        State s = latestState();
        if (s == null) {
            throw noTable();
        }
        return new LogSnapshot(tableDir, s.version, s.timestamp, s.protocol, s.metadata, new ArrayList<>(s.files.values()));
    }

    /** The latest state, or null if there is no table; a failure on the fast path is retried with a full listing. */
    private State latestState() {
        Listing listing = latestListing();
        if (listing.isEmpty()) {
            return null;
        }
        if (!listing.partial) {
            return state(listing, listing.latest());
        }
        try {
            return state(listing, listing.latest());
        } catch (StorageException e) {
            Listing full = list();
            return state(full, full.latest());
        }
    }

    /**
     * Reads the snapshot at a version.
     *
     * @param version the version
     * @return the snapshot
     * @throws NotFoundException if the version does not exist or can no longer be reconstructed
     */
    public LogSnapshot atVersion(long version) {
        Listing listing = list();
        if (listing.isEmpty()) {
            throw noTable();
        }
        if (version < 0 || version > listing.latest()) {
            throw new NotFoundException("Table " + tableDir + " has no version " + version + "; versions go up to " + listing.latest() + ".");
        }
        return snapshot(listing, version);
    }

    /**
     * Reads the snapshot of the last version committed at or before an instant.
     *
     * @param timestamp the instant
     * @return the snapshot
     * @throws NotFoundException if the instant is before the first version that can be reconstructed
     */
    public LogSnapshot atTimestamp(Instant timestamp) {
        Listing listing = list();
        if (listing.isEmpty()) {
            throw noTable();
        }
        long lo = listing.earliestReconstructable();
        long hi = listing.latest();
        Instant first = versionTimestamp(listing, lo);
        if (timestamp.isBefore(first)) {
            throw new NotFoundException("Table " + tableDir + " has no version at or before " + timestamp + ": the earliest available version, "
                    + lo + ", was committed at " + first + ".");
        }
        // Last version with ts <= t; commit timestamps are non-decreasing in a healthy log.
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            if (!versionTimestamp(listing, mid).isAfter(timestamp)) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return snapshot(listing, lo);
    }

    /**
     * Reads the actions of one commit file.
     *
     * @param version the version
     * @return the modelled actions, in file order
     * @throws NotFoundException if the commit file does not exist
     */
    public List<Action> readCommit(long version) {
        return parseCommit(commitPath(version));
    }

    /**
     * Publishes a commit atomically: the file appears whole or not at all, and only if no other
     * writer took the version. A {@code commitInfo} is written first, with a {@code timestamp} added
     * when missing.
     *
     * @param version the version to write: 0 for a new table, else latest + 1
     * @param actions the actions
     * @throws CommitRaceException if the version exists already (nothing was written)
     * @throws InvalidArgumentException if the previous version does not exist or version 0 lacks protocol/metadata
     * @throws StorageException on I/O failure
     */
    public void commit(long version, List<Action> actions) {
        if (version < 0) {
            throw new InvalidArgumentException("Cannot commit version " + version + " of table " + tableDir + ": versions start at 0.");
        }
        Path target = commitPath(version);
        if (version == 0) {
            boolean hasProtocol = actions.stream().anyMatch(a -> a instanceof Protocol);
            boolean hasMetadata = actions.stream().anyMatch(a -> a instanceof Metadata);
            if (!hasProtocol || !hasMetadata) {
                throw new InvalidArgumentException("Version 0 of table " + tableDir + " must hold a protocol and a metaData action.");
            }
        }
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new StorageException("Cannot create " + logDir + ": " + e.getMessage(), e);
        }
        if (Files.exists(target)) {
            throw race(version);
        }
        if (version > 0 && !Files.exists(commitPath(version - 1)) && !hasCheckpointAt(version - 1)) {
            throw new InvalidArgumentException("Cannot commit version " + version + " of table " + tableDir + ": version " + (version - 1)
                    + " does not exist; commit latestVersion() + 1.");
        }
        long timestamp = commitTime(actions);
        byte[] bytes = serialize(actions, timestamp);
        // Readers without in-commit timestamps (Spark, delta-kernel, and Kiln itself) date a commit by its
        // file's modification time: make it the commitInfo time, before the link publishes the file.
        FileTime commitFileTime = FileTime.fromMillis(timestamp);
        Path temp = logDir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (fsync) {
                    ch.force(true);
                }
            }
            Files.setLastModifiedTime(temp, commitFileTime);
            try {
                Files.createLink(target, temp);
            } catch (FileAlreadyExistsException e) {
                throw race(version);
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (Files.exists(target)) {
                    throw race(version);
                }
                // No hard links here: fall back to an exclusive create (atomic existence check, not atomic content).
                try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ByteBuffer buf = ByteBuffer.wrap(bytes);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    if (fsync) {
                        ch.force(true);
                    }
                } catch (FileAlreadyExistsException e2) {
                    throw race(version);
                }
                Files.setLastModifiedTime(target, commitFileTime);
            }
        } catch (IOException e) {
            throw new StorageException("Cannot write commit " + target + ": " + e.getMessage() + ". Nothing was committed; retry.", e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a stray temp file is ignored by readers
            }
        }
    }

    /**
     * Lists the commits still in the log, newest first.
     *
     * @return one entry per JSON commit file
     */
    public List<CommitEntry> history() {
        return history(Integer.MAX_VALUE);
    }

    /**
     * Lists the newest commits, newest first.
     *
     * @param limit maximum number of entries
     * @return up to {@code limit} entries
     */
    public List<CommitEntry> history(int limit) {
        Listing listing = list();
        List<CommitEntry> out = new ArrayList<>();
        for (Map.Entry<Long, Path> e : listing.commits.descendingMap().entrySet()) {
            if (out.size() >= limit) {
                break;
            }
            Map<String, Object> info = readCommitInfo(e.getValue());
            out.add(new CommitEntry(e.getKey(), timestampOf(info, e.getValue()), info == null ? Map.of() : info));
        }
        return out;
    }

    /**
     * Returns the application transaction versions ({@code txn} actions) of the latest snapshot.
     *
     * @return appId to its latest transaction
     */
    public Map<String, SetTransaction> transactions() {
        State s = latestState();
        return s == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(s.txns));
    }

    /**
     * Returns the tombstones ({@code remove} actions not yet expired) of the latest snapshot, as far as
     * the log still holds them (a checkpoint written by Kiln keeps them; they are not read back from
     * checkpoints, to keep opening fast, so after a checkpoint only later removes are listed).
     *
     * @return the remove actions, in log order
     */
    public List<RemoveFile> tombstones() {
        State s = latestState();
        return s == null ? List.of() : List.copyOf(s.tombstones.values());
    }

    /**
     * Returns the domain metadata (non-removed) of the latest snapshot.
     *
     * @return domain to its configuration
     */
    public Map<String, DomainMetadata> domainMetadata() {
        State s = latestState();
        return s == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(s.domains));
    }

    /**
     * Writes a classic V1 single-file Parquet checkpoint of a snapshot and points
     * {@code _last_checkpoint} at it.
     *
     * @param snapshot a snapshot of this table whose JSON commit exists
     * @throws InvalidArgumentException if the commit of that version does not exist
     * @throws UnsupportedFeatureException if the table uses row tracking (row ids would be lost)
     * @throws StorageException on failure (the log stays valid: the checkpoint appears atomically or not at all)
     */
    public void writeCheckpoint(LogSnapshot snapshot) {
        refuseRowTracking(snapshot.protocol());
        CheckpointWriter.write(this, snapshot, stateForCheckpoint(snapshot));
    }

    /**
     * Checkpoints a version this process has just committed. Unlike {@link #writeCheckpoint}, the state
     * comes from the state cached by the commit's read plus that one commit, found without listing the
     * log folder, which grows with every commit.
     *
     * <p>It runs on the committing thread on purpose: on a machine with few cores a background
     * checkpoint slowed the commits it overlapped more than it saved the one that triggered it.
     *
     * @param version a version whose commit file exists
     * @throws UnsupportedFeatureException if the table uses row tracking
     * @throws StorageException on failure (the log stays valid: the checkpoint appears atomically or not at all)
     */
    public void checkpointCommitted(long version) {
        State state;
        try {
            state = state(latestListing(), version);
        } catch (StorageException | NotFoundException e) {
            // a newer checkpoint by another writer hides this version from the short listing
            state = state(list(), version);
        }
        refuseRowTracking(state.protocol);
        LogSnapshot snapshot = new LogSnapshot(tableDir, state.version, state.timestamp, state.protocol, state.metadata,
                new ArrayList<>(state.files.values()));
        CheckpointWriter.write(this, snapshot, state);
    }

    // ------------------------------------------------------------------ internals

    Path logDir() {
        return logDir;
    }

    DuckEngine engine() {
        return engine;
    }

    Path commitPath(long version) {
        return logDir.resolve(String.format("%020d.json", version));
    }

    private boolean hasCheckpointAt(long version) {
        return !list().checkpointsAt(version).isEmpty();
    }

    private CommitRaceException race(long version) {
        return new CommitRaceException("Version " + version + " of table " + tableDir
                + " was committed by another writer first; nothing was written: re-read the table and retry at the next version.", version);
    }

    private NotFoundException noTable() {
        return new NotFoundException("No Delta table at " + tableDir + ": " + logDir
                + " holds no commit or checkpoint. Create the table first, or check the path.");
    }

    /** The commit's time: its commitInfo timestamp when the writer gave one, else now. */
    private static long commitTime(List<Action> actions) {
        for (Action a : actions) {
            if (a instanceof CommitInfoAction c && c.values().get("timestamp") instanceof Number n) {
                return n.longValue();
            }
        }
        return System.currentTimeMillis();
    }

    private static byte[] serialize(List<Action> actions, long timestamp) {
        StringBuilder sb = new StringBuilder(256 + actions.size() * 256);
        CommitInfoAction info = null;
        for (Action a : actions) {
            if (a instanceof CommitInfoAction c) {
                info = c;
                break;
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        if (info != null) {
            values.putAll(info.values());
        }
        values.put("timestamp", timestamp);
        sb.append(ActionCodec.line(new CommitInfoAction(values))).append('\n');
        for (Action a : actions) {
            if (a instanceof CommitInfoAction) {
                continue;
            }
            sb.append(ActionCodec.line(a)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private List<Action> parseCommit(Path file) {
        return parseCommit(file, false);
    }

    private List<Action> parseCommit(Path file, boolean skipCommitInfo) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("Commit file " + file + " does not exist (table " + tableDir + ").", e);
        } catch (IOException e) {
            throw new StorageException("Cannot read commit file " + file + ": " + e.getMessage(), e);
        }
        return ActionCodec.parseLines(content, file.toString(), null, skipCommitInfo);
    }

    /** Reads only the commitInfo of a commit file (usually its first line). */
    private Map<String, Object> readCommitInfo(Path file) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.contains("\"commitInfo\"")) {
                    JsonNode node = ActionCodec.MAPPER.readTree(line);
                    JsonNode ci = node == null ? null : node.get("commitInfo");
                    if (ci != null && ci.isObject()) {
                        return ActionCodec.commitInfo(ci).values();
                    }
                }
            }
            return null;
        } catch (NoSuchFileException e) {
            throw new NotFoundException("Commit file " + file + " does not exist (table " + tableDir + ").", e);
        } catch (IOException e) {
            throw new StorageException("Cannot read commit file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A commit's time as the protocol defines it: the in-commit timestamp when the table has them, else
     * the commit file's modification time (which Kiln sets to its commitInfo timestamp when it writes).
     */
    static Instant timestampOf(Map<String, Object> info, Path file) {
        if (info != null) {
            Object ict = info.get("inCommitTimestamp");
            if (ict instanceof Number n) {
                return Instant.ofEpochMilli(n.longValue());
            }
        }
        try {
            return Instant.ofEpochMilli(Files.getLastModifiedTime(file).toMillis()); // Delta times are milliseconds
        } catch (IOException e) {
            throw new StorageException("Cannot read the modification time of " + file + ": " + e.getMessage(), e);
        }
    }

    private Instant versionTimestamp(Listing listing, long version) {
        Path commit = listing.commits.get(version);
        if (commit != null) {
            return timestampOf(readCommitInfo(commit), commit);
        }
        List<Checkpoint> cps = listing.checkpointsAt(version);
        if (!cps.isEmpty()) {
            return timestampOf(null, cps.get(0).files.get(0));
        }
        throw new NotFoundException("Version " + version + " of table " + tableDir + " is not in the log.");
    }

    // ------------------------------------------------------------------ listing

    enum Kind { CLASSIC, UUID_PARQUET, UUID_JSON, MULTI }

    record Checkpoint(long version, Kind kind, List<Path> files) {
    }

    final class Listing {
        final NavigableMap<Long, Path> commits = new TreeMap<>();
        final NavigableMap<Long, List<Checkpoint>> checkpoints = new TreeMap<>();
        /** True when built from the _last_checkpoint hint (only the hinted checkpoint and the commits after it). */
        boolean partial;

        boolean isEmpty() {
            return commits.isEmpty() && checkpoints.isEmpty();
        }

        long latest() {
            long v = commits.isEmpty() ? -1 : commits.lastKey();
            if (!checkpoints.isEmpty()) {
                v = Math.max(v, checkpoints.lastKey());
            }
            return v;
        }

        List<Checkpoint> checkpointsAt(long version) {
            List<Checkpoint> l = checkpoints.get(version);
            return l == null ? List.of() : l;
        }

        long earliestReconstructable() {
            if (commits.containsKey(0L)) {
                return 0;
            }
            if (!checkpoints.isEmpty()) {
                return checkpoints.firstKey();
            }
            return commits.isEmpty() ? 0 : commits.firstKey();
        }
    }

    /**
     * Lists only what the latest snapshot needs: the checkpoint named by {@code _last_checkpoint}
     * and the commits after it, found by probing consecutive names (no directory listing). Falls
     * back to a full listing whenever the hint is missing, corrupt or stale.
     */
    Listing latestListing() {
        Path hint = logDir.resolve("_last_checkpoint");
        JsonNode last;
        try {
            byte[] bytes = Files.readAllBytes(hint);
            last = bytes.length == 0 ? null : ActionCodec.MAPPER.readTree(bytes);
        } catch (NoSuchFileException e) {
            return list();
        } catch (IOException e) {
            return list(); // corrupt or unreadable hint: list the directory instead
        }
        if (last == null || !last.isObject() || !last.path("version").canConvertToLong() || last.path("version").asLong(-1) < 0) {
            return list();
        }
        long version = last.get("version").asLong();
        Checkpoint cp = null;
        String v2 = last.path("v2Checkpoint").path("path").asText(null);
        if (v2 != null) {
            Matcher m = UUID_CP.matcher(v2);
            Path f = logDir.resolve(v2);
            if (m.matches() && Long.parseLong(m.group(1)) == version && Files.exists(f)) {
                cp = new Checkpoint(version, m.group(3).equals("json") ? Kind.UUID_JSON : Kind.UUID_PARQUET, List.of(f));
            }
        } else if (last.has("parts") && last.get("parts").asInt(1) > 1) {
            int total = last.get("parts").asInt();
            List<Path> parts = new ArrayList<>(total);
            for (int i = 1; i <= total; i++) {
                Path f = logDir.resolve(String.format("%020d.checkpoint.%010d.%010d.parquet", version, i, total));
                if (!Files.exists(f)) {
                    return list();
                }
                parts.add(f);
            }
            cp = new Checkpoint(version, Kind.MULTI, parts);
        } else {
            Path f = logDir.resolve(String.format("%020d.checkpoint.parquet", version));
            if (Files.exists(f)) {
                cp = new Checkpoint(version, Kind.CLASSIC, List.of(f));
            }
        }
        if (cp == null) {
            return list();
        }
        Listing l = new Listing();
        l.partial = true;
        addCheckpoint(l, cp);
        Path c = commitPath(version);
        if (Files.exists(c)) {
            l.commits.put(version, c);
        }
        long v = version + 1;
        while (true) {
            Path next = commitPath(v);
            if (!Files.exists(next)) {
                break;
            }
            l.commits.put(v, next);
            v++;
        }
        // A later commit after a hole means a broken log: let the full listing report it.
        for (long probe = v + 1; probe <= v + 10; probe++) {
            if (Files.exists(commitPath(probe))) {
                return list();
            }
        }
        return l;
    }

    /**
     * A directory listing is no snapshot: a commit published while it runs may be missed while a later
     * one is seen. Commit N+1 is only ever published after N exists, so a gap below the newest listed
     * commit is re-checked by name before anyone calls the log broken.
     */
    private void fillListingGaps(Listing l) {
        if (l.commits.isEmpty()) {
            return;
        }
        long first = l.commits.firstKey();
        long last = l.commits.lastKey();
        if (last - first + 1 == l.commits.size()) {
            return;
        }
        for (long v = first + 1; v < last; v++) {
            if (!l.commits.containsKey(v) && Files.exists(commitPath(v))) {
                l.commits.put(v, commitPath(v));
            }
        }
    }

    Listing list() {
        Listing l = new Listing();
        if (!Files.isDirectory(logDir)) {
            return l;
        }
        Map<String, Map<Integer, Path>> multi = new HashMap<>();
        Map<String, Integer> multiTotal = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(logDir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                Matcher m = COMMIT.matcher(name);
                if (m.matches()) {
                    l.commits.put(Long.parseLong(m.group(1)), p);
                    continue;
                }
                if (!name.contains(".checkpoint.")) {
                    continue;
                }
                m = CLASSIC.matcher(name);
                if (m.matches()) {
                    addCheckpoint(l, new Checkpoint(Long.parseLong(m.group(1)), Kind.CLASSIC, List.of(p)));
                    continue;
                }
                m = UUID_CP.matcher(name);
                if (m.matches()) {
                    addCheckpoint(l, new Checkpoint(Long.parseLong(m.group(1)), m.group(3).equals("json") ? Kind.UUID_JSON : Kind.UUID_PARQUET, List.of(p)));
                    continue;
                }
                m = MULTI.matcher(name);
                if (m.matches()) {
                    int part = Integer.parseInt(m.group(2));
                    int total = Integer.parseInt(m.group(3));
                    String key = m.group(1) + "/" + total;
                    multi.computeIfAbsent(key, k -> new TreeMap<>()).put(part, p);
                    multiTotal.put(key, total);
                }
            }
        } catch (NoSuchFileException e) {
            return new Listing();
        } catch (IOException e) {
            throw new StorageException("Cannot list " + logDir + ": " + e.getMessage(), e);
        }
        fillListingGaps(l);
        for (Map.Entry<String, Map<Integer, Path>> e : multi.entrySet()) {
            int total = multiTotal.get(e.getKey());
            Map<Integer, Path> parts = e.getValue();
            boolean complete = parts.size() == total;
            for (int i = 1; i <= total && complete; i++) {
                complete = parts.containsKey(i);
            }
            if (complete) {
                long v = Long.parseLong(e.getKey().substring(0, e.getKey().indexOf('/')));
                addCheckpoint(l, new Checkpoint(v, Kind.MULTI, List.copyOf(parts.values())));
            }
        }
        for (List<Checkpoint> cps : l.checkpoints.values()) {
            cps.sort((a, b) -> Integer.compare(a.kind.ordinal(), b.kind.ordinal()));
        }
        return l;
    }

    private static void addCheckpoint(Listing l, Checkpoint c) {
        l.checkpoints.computeIfAbsent(c.version, k -> new ArrayList<>()).add(c);
    }

    // ------------------------------------------------------------------ replay

    /** Mutable replay state. */
    static final class State {
        long version = -1;
        Protocol protocol;
        Metadata metadata;
        LinkedHashMap<String, AddFile> files = new LinkedHashMap<>();
        LinkedHashMap<String, RemoveFile> tombstones = new LinkedHashMap<>();
        LinkedHashMap<String, SetTransaction> txns = new LinkedHashMap<>();
        LinkedHashMap<String, DomainMetadata> domains = new LinkedHashMap<>();
        Instant timestamp;
        Path lastCommit;
        long lastCommitSize = -1;

        State copy() {
            State s = new State();
            s.version = version;
            s.protocol = protocol;
            s.metadata = metadata;
            s.files = new LinkedHashMap<>(files);
            s.tombstones = new LinkedHashMap<>(tombstones);
            s.txns = new LinkedHashMap<>(txns);
            s.domains = new LinkedHashMap<>(domains);
            s.timestamp = timestamp;
            s.lastCommit = lastCommit;
            s.lastCommitSize = lastCommitSize;
            s.root = root;
            return s;
        }

        /** Table root used to canonicalise paths (relative, absolute and file: URI spellings of one file are one key). */
        Path root;

        private String canonical(String path) {
            if (root == null || (path.indexOf('%') < 0 && path.indexOf(':') < 0 && !path.startsWith("/") && !path.contains("./")
                    && !path.contains("//"))) {
                return path; // a plain relative path is its own canonical form
            }
            try {
                Path abs = DeltaPaths.resolve(root, path);
                return abs.startsWith(root) ? root.relativize(abs).toString().replace('\\', '/') : abs.toString();
            } catch (RuntimeException e) {
                return path;
            }
        }

        private static String dvId(DeletionVector dv) {
            return dv == null ? "" : dv.uniqueId();
        }

        void apply(Action a, boolean fromCheckpoint) {
            if (a instanceof AddFile add) {
                String path = canonical(add.path());
                files.put(path, add);
                tombstones.remove(path + "\u0000" + dvId(add.deletionVector()));
            } else if (a instanceof RemoveFile r) {
                String path = canonical(r.path());
                if (!fromCheckpoint) {
                    AddFile cur = files.get(path);
                    if (cur != null && dvId(cur.deletionVector()).equals(dvId(r.deletionVector()))) {
                        files.remove(path);
                    }
                }
                tombstones.put(path + "\u0000" + dvId(r.deletionVector()), r);
            } else if (a instanceof Protocol p) {
                protocol = p;
            } else if (a instanceof Metadata m) {
                metadata = m;
            } else if (a instanceof SetTransaction t) {
                txns.put(t.appId(), t);
            } else if (a instanceof DomainMetadata d) {
                if (d.removed()) {
                    domains.remove(d.domain());
                } else {
                    domains.put(d.domain(), d);
                }
            }
        }
    }

    private LogSnapshot snapshot(Listing listing, long version) {
        State s = state(listing, version);
        return new LogSnapshot(tableDir, s.version, s.timestamp, s.protocol, s.metadata, new ArrayList<>(s.files.values()));
    }

    private synchronized State cached() {
        return cache;
    }

    private synchronized void remember(State s) {
        if (cache == null || s.version >= cache.version) {
            cache = s;
        }
    }

    State state(Listing listing, long version) {
        State base = null;
        State c = cached();
        if (c != null && c.version <= version && c.lastCommit != null && sameFile(listing.commits.get(c.version), c)) {
            boolean contiguous = true;
            for (long v = c.version + 1; v <= version; v++) {
                if (!listing.commits.containsKey(v)) {
                    contiguous = false;
                    break;
                }
            }
            // Only reuse the cache if no newer checkpoint would let us skip more commits.
            Map.Entry<Long, List<Checkpoint>> cp = listing.checkpoints.floorEntry(version);
            if (contiguous && (cp == null || cp.getKey() <= c.version)) {
                base = c.version == version ? c : c.copy();
            }
        }
        if (base == null) {
            base = fromCheckpointOrStart(listing, version);
        }
        if (base.version < version) {
            for (long v = base.version + 1; v <= version; v++) {
                Path p = listing.commits.get(v);
                if (p == null) {
                    throw gap(listing, v, version);
                }
                List<Action> actions = parseCommit(p, v != version);
                Map<String, Object> info = null;
                for (Action a : actions) {
                    if (a instanceof CommitInfoAction ci) {
                        info = ci.values();
                    } else {
                        base.apply(a, false);
                    }
                }
                base.version = v;
                if (v == version) {
                    base.timestamp = timestampOf(info, p);
                    base.lastCommit = p;
                    base.lastCommitSize = size(p);
                }
            }
        }
        validate(base);
        remember(base);
        return base;
    }

    private boolean sameFile(Path commit, State c) {
        return commit != null && commit.equals(c.lastCommit) && size(commit) == c.lastCommitSize;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -2;
        }
    }

    private KilnException gap(Listing listing, long missing, long target) {
        if (!listing.commits.containsKey(0L) && listing.checkpoints.floorKey(target) == null) {
            return new NotFoundException("Version " + target + " of table " + tableDir
                    + " can no longer be reconstructed: its early commits were cleaned up and no checkpoint at or before it remains.");
        }
        return new StorageException("The Delta log of table " + tableDir + " is broken: commit " + missing + " (" + commitPath(missing).getFileName()
                + ") is missing, so versions are not contiguous up to " + target + ". Restore the missing commit file; Kiln will not guess the table's state.");
    }

    private State fromCheckpointOrStart(Listing listing, long version) {
        Map.Entry<Long, List<Checkpoint>> cp = listing.checkpoints.floorEntry(version);
        State s = new State();
        s.root = tableDir;
        if (cp == null) {
            if (!listing.commits.containsKey(0L)) {
                throw gap(listing, 0, version);
            }
            return s;
        }
        // Newest usable checkpoint first; an unreadable one (damaged file) falls back to the next candidate.
        Checkpoint chosen = null;
        StorageException firstFailure = null;
        for (Map.Entry<Long, List<Checkpoint>> e = cp; e != null && chosen == null; e = listing.checkpoints.lowerEntry(e.getKey())) {
            for (Checkpoint candidate : e.getValue()) {
                try {
                    State attempt = new State();
                    attempt.root = tableDir;
                    CheckpointReader.read(this, candidate, attempt);
                    s = attempt;
                    chosen = candidate;
                    break;
                } catch (StorageException ex) {
                    if (firstFailure == null) {
                        firstFailure = ex;
                    }
                }
            }
        }
        if (chosen == null) {
            if (listing.commits.containsKey(0L)) {
                return s; // no checkpoint is readable: replay every commit
            }
            throw firstFailure;
        }
        s.version = chosen.version;
        Path commit = listing.commits.get(chosen.version);
        s.timestamp = commit != null ? timestampOf(readCommitInfo(commit), commit) : timestampOf(null, chosen.files.get(0));
        s.lastCommit = commit;
        s.lastCommitSize = commit == null ? -1 : size(commit);
        return s;
    }

    private void validate(State s) {
        if (s.protocol == null) {
            throw new StorageException("The Delta log of table " + tableDir + " has no protocol action up to version " + s.version
                    + "; the log is corrupt: restore the commit or checkpoint that defines the protocol.");
        }
        checkReadable(s.protocol, tableDir);
        if (s.metadata == null) {
            throw new StorageException("The Delta log of table " + tableDir + " has no metaData action up to version " + s.version
                    + "; the log is corrupt: restore the commit or checkpoint that defines the table metadata.");
        }
        if (s.metadata.schemaString() == null) {
            throw new StorageException("The metaData action in force at version " + s.version + " of table " + tableDir
                    + " has no schemaString; the log is corrupt: restore the commit or checkpoint that defines the schema.");
        }
        try {
            s.metadata.schema();
        } catch (UnsupportedFeatureException e) {
            throw new UnsupportedFeatureException("Table " + tableDir + " cannot be read: " + e.getMessage(), e);
        } catch (StorageException e) {
            throw new StorageException("The schema of table " + tableDir + " at version " + s.version + " is malformed: " + e.getMessage(), e);
        }
        String mode = s.metadata.columnMappingMode();
        if (!mode.equals("none") && !mode.equals("name") && !mode.equals("id")) {
            throw new UnsupportedFeatureException("Table " + tableDir + " uses column mapping mode '" + mode + "', which Kiln does not know (none, name, id).");
        }
    }

    /**
     * Refuses a protocol Kiln cannot read, naming the version or feature.
     *
     * @param protocol the protocol
     * @param table the table (for the message)
     * @throws UnsupportedFeatureException if the protocol needs more than Kiln implements
     */
    static void checkReadable(Protocol protocol, Path table) {
        if (protocol.minReaderVersion() > MAX_READER_VERSION) {
            throw new UnsupportedFeatureException("Table " + table + " requires Delta reader version " + protocol.minReaderVersion()
                    + "; Kiln reads Delta reader versions 1 to " + MAX_READER_VERSION + ". Read it with a newer Delta client.");
        }
        if (protocol.minReaderVersion() < 1) {
            throw new StorageException("Table " + table + " has an invalid protocol (minReaderVersion " + protocol.minReaderVersion() + ").");
        }
        if (protocol.minReaderVersion() == 3 && protocol.readerFeatures() != null) {
            for (String f : protocol.readerFeatures()) {
                if (!SUPPORTED_READER_FEATURES.contains(f)) {
                    throw new UnsupportedFeatureException("Table " + table + " uses the Delta reader feature '" + f
                            + "', which Kiln does not support (supported: " + String.join(", ", new java.util.TreeSet<>(SUPPORTED_READER_FEATURES)) + ").");
                }
            }
        }
    }

    private void refuseRowTracking(Protocol protocol) {
        if (protocol.hasWriterFeature("rowTracking")) {
            throw new UnsupportedFeatureException("Cannot checkpoint table " + tableDir + ": it uses the Delta writer feature 'rowTracking', whose"
                    + " row ids (baseRowId, defaultRowCommitVersion) Kiln's checkpoint writer does not carry. Checkpoint it with Spark/Delta.");
        }
    }

    private State stateForCheckpoint(LogSnapshot snapshot) {
        if (!snapshot.tableDir().toAbsolutePath().normalize().equals(tableDir)) {
            throw new InvalidArgumentException("The snapshot belongs to " + snapshot.tableDir() + ", not to " + tableDir + ".");
        }
        Path commit = commitPath(snapshot.version());
        if (!Files.exists(commit)) {
            throw new InvalidArgumentException("Cannot checkpoint version " + snapshot.version() + " of table " + tableDir
                    + ": its commit file " + commit.getFileName() + " does not exist.");
        }
        return state(list(), snapshot.version());
    }

    // ------------------------------------------------------------------ DuckDB helpers

    List<String> queryStrings(String sql, String what) {
        List<String> out = new ArrayList<>();
        try (Connection c = engine.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new StorageException("Cannot read " + what + " of table " + tableDir + " with DuckDB: " + e.getMessage(), e);
        }
        return out;
    }

    static void atomicMove(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
