package dev.kiln.duckdb.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.InvalidArgumentException;
import dev.kiln.NotFoundException;
import dev.kiln.StorageException;
import dev.kiln.UnsupportedFeatureException;
import dev.kiln.duckdb.DuckEngine;
import dev.kiln.lakehouse.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaLogRoundTripTest {
    private static DuckEngine engine;
    private static final Schema SCHEMA = Schema.parse("id BIGINT, name STRING");

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        engine = DuckEngine.start(2);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private AddFile rows(Path table, int from, int to) {
        return TestTables.add(engine, table, "SELECT i::BIGINT AS id, 'n' || i AS name FROM range(" + from + ", " + to + ") t(i)");
    }

    /** v0: ids 0..9 at t=1000s; v1: + 10..19 at 2000s; v2: - 0..9, + 100..104 at 3000s. */
    private List<AddFile> threeVersions(DeltaLog log) {
        Path table = log.tableDir();
        AddFile f0 = rows(table, 0, 10);
        AddFile f1 = rows(table, 10, 20);
        AddFile f2 = rows(table, 100, 105);
        log.commit(0, List.of(TestTables.info(1_000_000, "CREATE"), Protocol.DEFAULT, Metadata.create(SCHEMA, List.of(), Map.of()), f0));
        log.commit(1, List.of(TestTables.info(2_000_000, "WRITE"), f1));
        log.commit(2, List.of(TestTables.info(3_000_000, "DELETE"), TestTables.remove(f0), f2));
        return List.of(f0, f1, f2);
    }

    @Test
    void readsEveryVersionAndByTimestamp() {
        DeltaLog log = DeltaLog.forTable(tmp.resolve("t"), engine);
        assertThat(log.exists()).isFalse();
        assertThat(log.latestVersion()).isEqualTo(-1);
        assertThatThrownBy(log::latest).isInstanceOf(NotFoundException.class).hasMessageContaining("No Delta table");
        threeVersions(log);

        assertThat(log.exists()).isTrue();
        assertThat(log.latestVersion()).isEqualTo(2);
        LogSnapshot latest = log.latest();
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.timestamp()).isEqualTo(Instant.ofEpochMilli(3_000_000));
        assertThat(latest.schema()).isEqualTo(SCHEMA);
        assertThat(latest.files()).hasSize(2);
        assertThat(TestTables.count(engine, latest)).isEqualTo(15);
        assertThat(TestTables.read(engine, latest)).contains("100|n100", "19|n19").doesNotContain("0|n0");

        assertThat(TestTables.count(engine, log.atVersion(0))).isEqualTo(10);
        assertThat(TestTables.count(engine, log.atVersion(1))).isEqualTo(20);
        assertThat(TestTables.count(engine, log.atVersion(2))).isEqualTo(15);
        assertThatThrownBy(() -> log.atVersion(3)).isInstanceOf(NotFoundException.class).hasMessageContaining("no version 3");
        assertThatThrownBy(() -> log.atVersion(-1)).isInstanceOf(NotFoundException.class);

        assertThat(log.atTimestamp(Instant.ofEpochMilli(1_000_000)).version()).isEqualTo(0);
        assertThat(log.atTimestamp(Instant.ofEpochMilli(1_999_999)).version()).isEqualTo(0);
        assertThat(log.atTimestamp(Instant.ofEpochMilli(2_000_000)).version()).isEqualTo(1);
        assertThat(log.atTimestamp(Instant.ofEpochMilli(2_500_000)).version()).isEqualTo(1);
        assertThat(log.atTimestamp(Instant.now()).version()).isEqualTo(2);
        assertThatThrownBy(() -> log.atTimestamp(Instant.ofEpochMilli(999_999))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("earliest available version");

        assertThat(log.tombstones()).extracting(RemoveFile::path).containsExactly(log.readCommit(2).stream()
                .filter(a -> a instanceof RemoveFile).map(a -> ((RemoveFile) a).path()).findFirst().orElseThrow());
        List<CommitEntry> history = log.history();
        assertThat(history).extracting(CommitEntry::version).containsExactly(2L, 1L, 0L);
        assertThat(history.get(0).commitInfo()).containsEntry("operation", "DELETE");
        assertThat(history.get(2).timestamp()).isEqualTo(Instant.ofEpochMilli(1_000_000));
        assertThat(log.history(1)).hasSize(1);

        List<Action> v2 = log.readCommit(2);
        assertThat(v2.get(0)).isInstanceOf(CommitInfoAction.class);
        assertThat(v2).hasAtLeastOneElementOfType(RemoveFile.class).hasAtLeastOneElementOfType(AddFile.class);
        assertThatThrownBy(() -> log.readCommit(7)).isInstanceOf(NotFoundException.class);

        // A fresh log object (no cache) gives the same answers.
        DeltaLog fresh = DeltaLog.forTable(tmp.resolve("t"), engine);
        assertThat(fresh.latest().files()).isEqualTo(latest.files());
        assertThat(fresh.atVersion(1).files()).hasSize(2);
    }

    @Test
    void commitTimestampPrefersInCommitTimestampThenTimestampThenFileTime() throws Exception {
        Path table = tmp.resolve("ts");
        DeltaLog log = DeltaLog.forTable(table, engine);
        log.commit(0, List.of(new CommitInfoAction(Map.of("timestamp", 5_000L, "inCommitTimestamp", 7_000L)), Protocol.DEFAULT,
                Metadata.create(SCHEMA, List.of(), Map.of())));
        log.commit(1, List.of(TestTables.info(9_000, "WRITE")));
        // A commit written by another tool without commitInfo: its file time counts.
        Files.writeString(log.commitPath(2), "{\"txn\":{\"appId\":\"x\",\"version\":3}}\n");
        Files.setLastModifiedTime(log.commitPath(2), FileTime.fromMillis(11_000));
        assertThat(log.atVersion(0).timestamp()).isEqualTo(Instant.ofEpochMilli(7_000));
        assertThat(log.atVersion(1).timestamp()).isEqualTo(Instant.ofEpochMilli(9_000));
        assertThat(log.latest().timestamp()).isEqualTo(Instant.ofEpochMilli(11_000));
        assertThat(log.atTimestamp(Instant.ofEpochMilli(8_000)).version()).isEqualTo(0);
        assertThat(log.atTimestamp(Instant.ofEpochMilli(10_000)).version()).isEqualTo(1);
        assertThat(log.transactions()).containsKey("x");
        assertThat(log.transactions().get("x").version()).isEqualTo(3);
    }

    @Test
    void commitAddsATimestampWhenMissing() {
        DeltaLog log = DeltaLog.forTable(tmp.resolve("auto"), engine);
        long before = System.currentTimeMillis();
        log.commit(0, List.of(Protocol.DEFAULT, Metadata.create(SCHEMA, List.of(), Map.of())));
        List<Action> actions = log.readCommit(0);
        assertThat(actions.get(0)).isInstanceOf(CommitInfoAction.class);
        Object ts = ((CommitInfoAction) actions.get(0)).values().get("timestamp");
        assertThat(((Number) ts).longValue()).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void checkpointIsWrittenAndUsedOnceOlderCommitsAreGone() throws Exception {
        Path table = tmp.resolve("cp");
        DeltaLog log = DeltaLog.forTable(table, engine);
        threeVersions(log);
        AddFile f3 = rows(table, 200, 203);
        log.commit(3, List.of(TestTables.info(4_000_000, "WRITE"), f3, new SetTransaction("app", 42, 4_000_000L),
                new DomainMetadata("kiln.test", "{\"a\":1}", false)));
        AddFile f4 = rows(table, 300, 301);
        log.commit(4, List.of(TestTables.info(5_000_000, "WRITE"), f4));
        List<String> before = TestTables.read(engine, log.latest());

        log.writeCheckpoint(log.atVersion(3));
        Path cp = table.resolve("_delta_log/00000000000000000003.checkpoint.parquet");
        assertThat(cp).exists();
        assertThat(Files.readString(table.resolve("_delta_log/_last_checkpoint"))).contains("\"version\":3");
        try (Stream<Path> s = Files.list(table.resolve("_delta_log"))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
        // The checkpoint has Delta's struct columns, stats as a JSON string.
        List<String> columns = TestTables.rows(engine, "SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet("
                + DuckEngine.literal(cp.toString()) + "))");
        assertThat(columns).contains("add", "remove", "metaData", "protocol", "txn");
        assertThat(TestTables.rows(engine, "SELECT add.path FROM read_parquet(" + DuckEngine.literal(cp.toString()) + ") WHERE add IS NOT NULL"))
                .hasSize(3);
        assertThat(TestTables.rows(engine, "SELECT remove.path FROM read_parquet(" + DuckEngine.literal(cp.toString()) + ") WHERE remove IS NOT NULL"))
                .hasSize(1);

        // Delete the commits the checkpoint covers: the table still reads, from the checkpoint.
        for (int v = 0; v <= 3; v++) {
            Files.delete(log.commitPath(v));
        }
        DeltaLog fresh = DeltaLog.forTable(table, engine);
        assertThat(fresh.latestVersion()).isEqualTo(4);
        LogSnapshot latest = fresh.latest();
        assertThat(TestTables.read(engine, latest)).isEqualTo(before);
        assertThat(latest.timestamp()).isEqualTo(Instant.ofEpochMilli(5_000_000));
        assertThat(fresh.transactions().get("app").version()).isEqualTo(42);
        // The unexpired tombstone (v2 removed f0) is carried by the checkpoint.
        assertThat(fresh.tombstones()).hasSize(1);
        assertThat(fresh.domainMetadata()).containsKey("kiln.test");
        assertThat(fresh.atVersion(3).files()).hasSize(3);
        assertThatThrownBy(() -> fresh.atVersion(2)).isInstanceOf(NotFoundException.class).hasMessageContaining("can no longer be reconstructed");
        assertThat(fresh.history()).extracting(CommitEntry::version).containsExactly(4L);

        // A corrupt _last_checkpoint does not break reading.
        Files.writeString(table.resolve("_delta_log/_last_checkpoint"), "{not json");
        assertThat(TestTables.read(engine, DeltaLog.forTable(table, engine).latest())).isEqualTo(before);
        Files.writeString(table.resolve("_delta_log/_last_checkpoint"), "");
        assertThat(TestTables.read(engine, DeltaLog.forTable(table, engine).latest())).isEqualTo(before);

        // A checkpoint of the new state can be written and read back again; the table keeps committing.
        fresh.writeCheckpoint(fresh.latest());
        fresh.commit(5, List.of(TestTables.info(6_000_000, "WRITE"), rows(table, 400, 402)));
        assertThat(TestTables.count(engine, DeltaLog.forTable(table, engine).latest())).isEqualTo(before.size() + 2);
    }

    @Test
    void staleOrWrongLastCheckpointHintsFallBackToListing() throws Exception {
        Path table = tmp.resolve("hint");
        DeltaLog log = DeltaLog.forTable(table, engine);
        threeVersions(log);
        log.writeCheckpoint(log.atVersion(1));
        List<String> expected = TestTables.read(engine, log.latest());
        Path hint = table.resolve("_delta_log/_last_checkpoint");
        // Points at a checkpoint that is gone.
        Files.writeString(hint, "{\"version\":7,\"size\":3}");
        assertThat(TestTables.read(engine, DeltaLog.forTable(table, engine).latest())).isEqualTo(expected);
        assertThat(DeltaLog.forTable(table, engine).latestVersion()).isEqualTo(2);
        // Points at an older checkpoint than the newest: still the latest version.
        log.writeCheckpoint(log.atVersion(2));
        Files.writeString(hint, "{\"version\":1,\"size\":3}");
        log.commit(3, List.of(TestTables.info(4_000_000, "WRITE"), rows(table, 50, 52)));
        assertThat(DeltaLog.forTable(table, engine).latest().version()).isEqualTo(3);
        assertThat(TestTables.count(engine, DeltaLog.forTable(table, engine).latest())).isEqualTo(expected.size() + 2);
        // Wrong types in the hint.
        Files.writeString(hint, "{\"version\":\"x\"}");
        assertThat(DeltaLog.forTable(table, engine).latest().version()).isEqualTo(3);
        Files.writeString(hint, "[1,2]");
        assertThat(DeltaLog.forTable(table, engine).exists()).isTrue();
        // A hole after the hinted checkpoint is found even though the hint is valid.
        Files.writeString(hint, "{\"version\":2,\"size\":3}");
        log.commit(4, List.of(TestTables.info(5_000_000, "WRITE")));
        log.commit(5, List.of(TestTables.info(6_000_000, "WRITE")));
        Files.delete(log.commitPath(4));
        assertThatThrownBy(() -> DeltaLog.forTable(table, engine).latest()).isInstanceOf(StorageException.class)
                .hasMessageContaining("00000000000000000004.json");
    }

    @Test
    void expiredTombstonesAreDroppedFromCheckpoints() throws Exception {
        Path table = tmp.resolve("expire");
        DeltaLog log = DeltaLog.forTable(table, engine);
        AddFile a = rows(table, 0, 1);
        AddFile b = rows(table, 1, 2);
        log.commit(0, List.of(Protocol.DEFAULT, Metadata.create(SCHEMA, List.of(), Map.of("delta.deletedFileRetentionDuration", "interval 2 hours")), a, b));
        long now = System.currentTimeMillis();
        log.commit(1, List.of(new RemoveFile(a.path(), now - 3 * 3600_000L, true, null, null, null),
                new RemoveFile(b.path(), now - 3600_000L, true, null, null, null)));
        log.writeCheckpoint(log.latest());
        Files.delete(log.commitPath(0));
        Files.delete(log.commitPath(1));
        List<RemoveFile> kept = DeltaLog.forTable(table, engine).tombstones();
        assertThat(kept).extracting(RemoveFile::path).containsExactly(b.path());
        Metadata m = Metadata.create(SCHEMA, List.of(), Map.of());
        assertThat(CheckpointWriter.retentionMillis(m)).isEqualTo(7L * 24 * 3600_000);
        assertThat(CheckpointWriter.retentionMillis(withRetention("interval 36 hours"))).isEqualTo(36L * 3600_000);
        assertThat(CheckpointWriter.retentionMillis(withRetention("INTERVAL 1 DAY"))).isEqualTo(24L * 3600_000);
        assertThat(CheckpointWriter.retentionMillis(withRetention("2 weeks"))).isEqualTo(14L * 24 * 3600_000);
        assertThat(CheckpointWriter.retentionMillis(withRetention("soon"))).isEqualTo(7L * 24 * 3600_000);
    }

    private static Metadata withRetention(String value) {
        return Metadata.create(SCHEMA, List.of(), Map.of("delta.deletedFileRetentionDuration", value));
    }

    @Test
    void aDamagedCheckpointFallsBackToAnOlderOneOrToTheCommits() throws Exception {
        Path table = tmp.resolve("damaged");
        DeltaLog log = DeltaLog.forTable(table, engine);
        threeVersions(log);
        log.writeCheckpoint(log.atVersion(1));
        log.writeCheckpoint(log.atVersion(2));
        List<String> expected = TestTables.read(engine, log.latest());
        Files.writeString(table.resolve("_delta_log/00000000000000000002.checkpoint.parquet"), "not parquet");
        assertThat(TestTables.read(engine, DeltaLog.forTable(table, engine).latest())).isEqualTo(expected);
        Files.writeString(table.resolve("_delta_log/00000000000000000001.checkpoint.parquet"), "not parquet either");
        assertThat(TestTables.read(engine, DeltaLog.forTable(table, engine).latest())).isEqualTo(expected);
        // Without the commits before it, a damaged checkpoint is reported.
        Files.delete(log.commitPath(0));
        assertThatThrownBy(() -> DeltaLog.forTable(table, engine).latest()).isInstanceOf(StorageException.class)
                .hasMessageContaining("checkpoint");
    }

    @Test
    void incompleteMultiPartCheckpointsAreIgnored() throws Exception {
        Path table = tmp.resolve("multi");
        DeltaLog log = DeltaLog.forTable(table, engine);
        threeVersions(log);
        List<String> expected = TestTables.read(engine, log.latest());
        log.writeCheckpoint(log.atVersion(2));
        Path logDir = table.resolve("_delta_log");
        // Turn the classic checkpoint into part 1 of 2: the set is incomplete and must not be used.
        Files.move(logDir.resolve("00000000000000000002.checkpoint.parquet"), logDir.resolve("00000000000000000002.checkpoint.0000000001.0000000002.parquet"));
        Files.delete(logDir.resolve("_last_checkpoint"));
        DeltaLog fresh = DeltaLog.forTable(table, engine);
        assertThat(TestTables.read(engine, fresh.latest())).isEqualTo(expected);
        Files.delete(log.commitPath(0));
        assertThatThrownBy(() -> DeltaLog.forTable(table, engine).latest()).isInstanceOf(NotFoundException.class);
        // With both parts present (the second holding nothing), the checkpoint is complete and used.
        TestTables.copy(engine, logDir.resolve("00000000000000000002.checkpoint.0000000002.0000000002.parquet"),
                "SELECT * FROM read_parquet(" + DuckEngine.literal(logDir.resolve("00000000000000000002.checkpoint.0000000001.0000000002.parquet").toString())
                        + ") WHERE false");
        assertThat(TestTables.read(engine, DeltaLog.forTable(table, engine).latest())).isEqualTo(expected);
    }

    @Test
    void checkpointNeedsTheCommitOfItsVersion() throws Exception {
        Path table = tmp.resolve("cp2");
        DeltaLog log = DeltaLog.forTable(table, engine);
        threeVersions(log);
        LogSnapshot s1 = log.atVersion(1);
        log.writeCheckpoint(log.atVersion(2));
        // An older checkpoint written later does not move _last_checkpoint back.
        log.writeCheckpoint(log.atVersion(0));
        assertThat(table.resolve("_delta_log/00000000000000000000.checkpoint.parquet")).exists();
        assertThat(Files.readString(table.resolve("_delta_log/_last_checkpoint"))).contains("\"version\":2");
        Files.delete(log.commitPath(1));
        assertThatThrownBy(() -> log.writeCheckpoint(s1)).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("does not exist");
        // Row tracking tables are not checkpointed by Kiln (row ids would be dropped).
        DeltaLog rt = DeltaLog.forTable(tmp.resolve("rt"), engine);
        rt.commit(0, List.of(new Protocol(1, 7, null, Set.of("rowTracking", "domainMetadata")), Metadata.create(SCHEMA, List.of(), Map.of())));
        assertThatThrownBy(() -> rt.writeCheckpoint(rt.latest())).isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("rowTracking");
    }

    @Test
    void actionsRoundTripThroughTheLog() {
        DeltaLog log = DeltaLog.forTable(tmp.resolve("actions"), engine);
        Metadata m = new Metadata("id-1", "tbl", "a table", SchemaJson.toJson(SCHEMA), List.of("name"),
                Map.of("delta.appendOnly", "false", "kiln.owner", "alice"), 123L);
        Protocol p = new Protocol(3, 7, Set.of("deletionVectors"), Set.of("deletionVectors", "appendOnly"));
        DeletionVector dv = new DeletionVector("u", "ab^-aqEH.-t@S}K{vb[*k^", 4, 40, 6);
        AddFile add = new AddFile("name=a%20b/f.parquet", Map.of("name", "a b"), 10, 20, true, "{\"numRecords\":3}", dv, Map.of("t", "v"));
        RemoveFile remove = new RemoveFile("old.parquet", 30, false, Map.of("name", "x"), 40L, null);
        SetTransaction txn = new SetTransaction("app", 9, 50L);
        DomainMetadata domain = new DomainMetadata("d", "{}", false);
        CommitInfoAction info = new CommitInfoAction(Map.of("timestamp", 60L, "operation", "WRITE", "nested", Map.of("k", List.of(1, "two"))));
        log.commit(0, List.of(p, m, add, remove, txn, domain, info));
        List<Action> back = log.readCommit(0);
        assertThat(back).hasSize(7);
        assertThat(back.get(0)).isInstanceOf(CommitInfoAction.class);
        CommitInfoAction bi = (CommitInfoAction) back.get(0);
        assertThat(bi.values()).containsEntry("operation", "WRITE").containsEntry("nested", Map.of("k", List.of(1, "two")));
        assertThat(((Number) bi.values().get("timestamp")).longValue()).isEqualTo(60L);
        assertThat(back.subList(1, 7)).containsExactly(p, m, add, remove, txn, domain);
        LogSnapshot s = log.latest();
        assertThat(s.metadata()).isEqualTo(m);
        assertThat(s.protocol()).isEqualTo(p);
        assertThat(s.files()).containsExactly(add);
        assertThat(dv.uniqueId()).isEqualTo("uab^-aqEH.-t@S}K{vb[*k^@4");
    }

    @Test
    void missingCommitsAreRefused() throws Exception {
        Path table = tmp.resolve("gap");
        DeltaLog log = DeltaLog.forTable(table, engine);
        threeVersions(log);
        log.commit(3, List.of(TestTables.info(4_000_000, "WRITE"), rows(table, 5, 6)));
        Files.delete(log.commitPath(2));
        assertThatThrownBy(() -> DeltaLog.forTable(table, engine).latest()).isInstanceOf(StorageException.class)
                .hasMessageContaining("00000000000000000002.json").hasMessageContaining("not contiguous");
        assertThatThrownBy(() -> log.latest()).isInstanceOf(StorageException.class);
        // Before the gap the table still reads.
        assertThat(DeltaLog.forTable(table, engine).atVersion(1).files()).hasSize(2);

        // A checkpoint before the gap does not help; one after it does.
        Path t2 = tmp.resolve("gap2");
        DeltaLog l2 = DeltaLog.forTable(t2, engine);
        threeVersions(l2);
        l2.writeCheckpoint(l2.atVersion(1));
        l2.commit(3, List.of(TestTables.info(4_000_000, "WRITE"), rows(t2, 5, 6)));
        Files.delete(l2.commitPath(2));
        assertThatThrownBy(() -> DeltaLog.forTable(t2, engine).latest()).isInstanceOf(StorageException.class).hasMessageContaining("missing");
        // No commit 0 and no checkpoint: nothing can be reconstructed.
        Path t3 = tmp.resolve("gap3");
        DeltaLog l3 = DeltaLog.forTable(t3, engine);
        threeVersions(l3);
        Files.delete(l3.commitPath(0));
        assertThatThrownBy(() -> DeltaLog.forTable(t3, engine).latest()).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("can no longer be reconstructed");
    }

    @Test
    void commitRefusesBadInput() throws Exception {
        Path table = tmp.resolve("bad");
        DeltaLog log = DeltaLog.forTable(table, engine);
        assertThatThrownBy(() -> log.commit(0, List.of(Protocol.DEFAULT))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("metaData");
        assertThatThrownBy(() -> log.commit(-1, List.of())).isInstanceOf(InvalidArgumentException.class);
        log.commit(0, List.of(Protocol.DEFAULT, Metadata.create(SCHEMA, List.of(), Map.of())));
        assertThatThrownBy(() -> log.commit(2, List.of(rows(table, 0, 1)))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("version 1 does not exist");
        assertThatThrownBy(() -> log.commit(1, List.of(new CommitInfoAction(Map.of("when", new Object())))))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("commitInfo");
        assertThat(log.latestVersion()).isZero();
    }

    @Test
    void secondCommitOfAVersionLosesAndChangesNothing() throws Exception {
        Path table = tmp.resolve("race1");
        DeltaLog log = DeltaLog.forTable(table, engine);
        threeVersions(log);
        byte[] before = Files.readAllBytes(log.commitPath(2));
        assertThatThrownBy(() -> log.commit(2, List.of(rows(table, 7, 8)))).isInstanceOf(CommitRaceException.class)
                .isInstanceOf(dev.kiln.ConflictException.class).hasMessageContaining("Version 2")
                .satisfies(e -> assertThat(((CommitRaceException) e).version()).isEqualTo(2));
        assertThat(Files.readAllBytes(log.commitPath(2))).isEqualTo(before);
        try (Stream<Path> s = Files.list(table.resolve("_delta_log"))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void concurrentCommitsOfTheSameVersionHaveOneWinnerAndLoseNothing() throws Exception {
        Path table = tmp.resolve("race");
        DeltaLog setup = DeltaLog.forTable(table, engine);
        setup.commit(0, List.of(Protocol.DEFAULT, Metadata.create(SCHEMA, List.of(), Map.of())));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            int rounds = 20;
            for (int round = 0; round < rounds; round++) {
                CyclicBarrier barrier = new CyclicBarrier(2);
                List<Future<String>> results = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    AddFile file = rows(table, round * 10 + w, round * 10 + w + 1);
                    DeltaLog own = DeltaLog.forTable(table, engine);
                    results.add(pool.submit(() -> {
                        long version = own.latestVersion() + 1;
                        barrier.await();
                        while (true) {
                            try {
                                own.commit(version, List.of(TestTables.info(System.currentTimeMillis(), "WRITE"), file));
                                return "won " + version;
                            } catch (CommitRaceException e) {
                                version = e.version() + 1; // a blind append retries at the next version
                            }
                        }
                    }));
                }
                for (Future<String> f : results) {
                    f.get();
                }
            }
            LogSnapshot latest = DeltaLog.forTable(table, engine).latest();
            assertThat(latest.version()).isEqualTo(2L * rounds);
            assertThat(latest.files()).hasSize(2 * rounds);
            assertThat(TestTables.count(engine, latest)).isEqualTo(2L * rounds);
            // Every commit holds exactly one file: no commit was overwritten or merged.
            for (long v = 1; v <= 2L * rounds; v++) {
                assertThat(setup.readCommit(v).stream().filter(a -> a instanceof AddFile)).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesProtocolsKilnCannotRead() {
        Path t1 = tmp.resolve("p1");
        DeltaLog l1 = DeltaLog.forTable(t1, engine);
        l1.commit(0, List.of(new Protocol(3, 7, Set.of("deletionVectors", "catalogManaged"), Set.of("deletionVectors", "catalogManaged")),
                Metadata.create(SCHEMA, List.of(), Map.of())));
        assertThatThrownBy(l1::latest).isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("catalogManaged");
        Path t2 = tmp.resolve("p2");
        DeltaLog l2 = DeltaLog.forTable(t2, engine);
        l2.commit(0, List.of(new Protocol(4, 7, Set.of(), Set.of()), Metadata.create(SCHEMA, List.of(), Map.of())));
        assertThatThrownBy(l2::latest).isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("reader version 4");
        // A column type Kiln cannot hold is refused with the table named.
        Path t4 = tmp.resolve("p4");
        DeltaLog l4 = DeltaLog.forTable(t4, engine);
        l4.commit(0, List.of(Protocol.DEFAULT, new Metadata("id", null, null,
                "{\"type\":\"struct\",\"fields\":[{\"name\":\"v\",\"type\":\"variant\",\"nullable\":true,\"metadata\":{}}]}", null, null, 1L)));
        assertThatThrownBy(l4::latest).isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining(t4.toString()).hasMessageContaining("variant");
        // Writer-only features do not block reading.
        Path t3 = tmp.resolve("p3");
        DeltaLog l3 = DeltaLog.forTable(t3, engine);
        l3.commit(0, List.of(new Protocol(3, 7, Set.of("timestampNtz", "vacuumProtocolCheck", "v2Checkpoint", "typeWidening"),
                Set.of("timestampNtz", "domainMetadata", "typeWidening", "inCommitTimestamp", "rowTracking", "appendOnly")),
                Metadata.create(SCHEMA, List.of(), Map.of())));
        assertThat(l3.latest().protocol().hasReaderFeature("timestampNtz")).isTrue();
        assertThat(l3.latest().protocol().hasWriterFeature("rowTracking")).isTrue();
    }

    @Test
    void unknownFieldsAndActionsInTheLogAreIgnored() throws Exception {
        Path table = tmp.resolve("unknown");
        DeltaLog log = DeltaLog.forTable(table, engine);
        AddFile f = rows(table, 0, 3);
        log.commit(0, List.of(Protocol.DEFAULT, Metadata.create(SCHEMA, List.of(), Map.of())));
        String add = "{\"add\":{\"path\":\"" + f.path() + "\",\"partitionValues\":{},\"size\":" + f.size()
                + ",\"modificationTime\":1,\"dataChange\":true,\"baseRowId\":4,\"clusteringProvider\":\"liquid\",\"future\":{\"x\":[1]}}}\n"
                + "{\"cdc\":{\"path\":\"_change_data/x.parquet\",\"partitionValues\":{},\"size\":1,\"dataChange\":false}}\n"
                + "{\"someFutureAction\":{\"a\":1}}\n\n";
        Files.writeString(log.commitPath(1), add);
        LogSnapshot s = log.latest();
        assertThat(s.files()).hasSize(1);
        assertThat(TestTables.count(engine, s)).isEqualTo(3);
    }

    @Test
    void differentSpellingsOfOnePathAreOneLogicalFile() {
        Path table = tmp.resolve("spell");
        DeltaLog log = DeltaLog.forTable(table, engine);
        AddFile a = TestTables.add(engine, table, "SELECT 1::BIGINT AS id, 'x' AS name");
        AddFile b = TestTables.add(engine, table, "SELECT 2::BIGINT AS id, 'y' AS name");
        log.commit(0, List.of(Protocol.DEFAULT, Metadata.create(SCHEMA, List.of(), Map.of()), a, b));
        Path absA = DeltaPaths.resolve(table, a.path());
        Path absB = DeltaPaths.resolve(table, b.path());
        // Removed by its file: URI and by its absolute path.
        log.commit(1, List.of(new RemoveFile(absA.toUri().toString(), 1L, true, null, null, null)));
        log.commit(2, List.of(new RemoveFile(absB.toString(), 1L, true, null, null, null)));
        assertThat(log.atVersion(1).files()).containsExactly(b);
        assertThat(log.latest().files()).isEmpty();
        assertThat(TestTables.count(engine, log.latest())).isZero();
    }

    @Test
    void corruptCommitJsonIsReportedWithTheFile() throws Exception {
        Path table = tmp.resolve("corrupt");
        DeltaLog log = DeltaLog.forTable(table, engine);
        log.commit(0, List.of(Protocol.DEFAULT, Metadata.create(SCHEMA, List.of(), Map.of())));
        Files.writeString(log.commitPath(1), "{\"add\":{\"path\":\n");
        assertThatThrownBy(log::latest).isInstanceOf(StorageException.class).hasMessageContaining("00000000000000000001.json")
                .hasMessageContaining("not valid JSON");
    }
}
