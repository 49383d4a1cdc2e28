package dev.kiln.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.AlreadyExistsException;
import dev.kiln.InvalidArgumentException;
import dev.kiln.Kiln;
import dev.kiln.KilnException;
import dev.kiln.NotFoundException;
import dev.kiln.features.FeatureLookup;
import dev.kiln.features.FeatureStore;
import dev.kiln.features.FeatureTable;
import dev.kiln.features.FeatureTableDefinition;
import dev.kiln.features.FeatureVector;
import dev.kiln.features.Lookback;
import dev.kiln.features.OnlineStore;
import dev.kiln.features.OnlineStoreOptions;
import dev.kiln.features.Spine;
import dev.kiln.features.TrainingSet;
import dev.kiln.features.TrainingSetSpec;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every backend's feature store must do. A backend's test class extends this and implements
 * {@link #open(Path)}; every test here then runs against that backend.
 */
public abstract class FeatureStoreCompatibilityKit {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    /** A fresh folder per test. */
    @TempDir
    protected Path dir;

    /** The workspace under test. */
    protected Kiln kiln;

    /** Its lakehouse. */
    protected Lakehouse lake;

    /** Its feature store. */
    protected FeatureStore store;

    /** Creates the kit. */
    protected FeatureStoreCompatibilityKit() {
    }

    /**
     * Opens a workspace in a folder with the backend under test.
     *
     * @param root the workspace folder
     * @return the open workspace
     */
    protected abstract Kiln open(Path root);

    /**
     * Returns the feature store of a workspace: {@code kiln.features()}.
     *
     * @param kiln the workspace
     * @return its feature store
     */
    protected FeatureStore features(Kiln kiln) {
        try {
            return (FeatureStore) Kiln.class.getMethod("features").invoke(kiln);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Kiln.features() is not available; override features(Kiln) in the test", e);
        }
    }

    /** Opens the workspace and creates schemas {@code fs} and {@code ml}. */
    @BeforeEach
    void openWorkspace() {
        kiln = open(dir.resolve("ws"));
        lake = kiln.lakehouse();
        store = features(kiln);
        lake.createSchema("fs");
        lake.createSchema("ml");
    }

    /** Closes the workspace. */
    @AfterEach
    void closeWorkspace() {
        kiln.close();
    }

    private static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    private static List<Object[]> rows(Object[]... rows) {
        return Arrays.asList(rows);
    }

    private static List<List<Object>> read(Rows rows) {
        List<List<Object>> out = new ArrayList<>();
        try (rows) {
            int n = rows.schema().fields().size();
            while (rows.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    row.add(rows.get(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    private FeatureTable customerFeatures() {
        return store.createTable(FeatureTableDefinition.builder("fs.customer").primaryKeys("customer_id").timestampKey("ts")
                        .createdColumn("created").description("Customer spend").owner("team-risk").tag("domain", "payments").tag("pii", "")
                        .featureDescription("spend", "Spend in the last 30 days").build(),
                Schema.parse("customer_id BIGINT, ts TIMESTAMP, created TIMESTAMP, spend DOUBLE, orders BIGINT"),
                WriteSource.values(rows(
                        new Object[] {1L, at(10), at(10), 100.0, 1L},
                        new Object[] {1L, at(20), at(21), 200.0, 2L},
                        new Object[] {1L, at(20), at(25), 210.0, 3L},   // same event time, created later: wins
                        new Object[] {1L, at(30), at(90), null, 4L},    // NULL spend; known only at minute 90
                        new Object[] {2L, at(5), at(5), 50.0, 5L})));
    }

    private Table spine(Object[]... rows) {
        Table spine = lake.createTable(TableDefinition.builder("ml.spine").schema("id BIGINT, t TIMESTAMP, label INT").build());
        spine.append(WriteSource.values(rows(rows)));
        return spine;
    }

    // ------------------------------------------------------------------ definitions

    /** A feature table from a query records the query and the versions it read; the definition persists. */
    @Test
    void createFromQueryRecordsSourceAndPersistsAcrossProcesses() {
        lake.createSchema("sales");
        Table orders = lake.createTable(TableDefinition.builder("sales.orders").schema("customer_id BIGINT, ts TIMESTAMP, amount DOUBLE").build());
        orders.append(WriteSource.values(rows(new Object[] {1L, at(1), 5.0}, new Object[] {1L, at(1), 7.0}, new Object[] {2L, at(2), 1.0})));
        FeatureTable ft = store.createTable(FeatureTableDefinition.builder("fs.spend").primaryKeys("customer_id").timestampKey("ts")
                        .description("Spend per minute").tag("team", "growth").build(),
                "SELECT customer_id, ts, sum(amount) AS spend FROM sales.orders GROUP BY customer_id, ts");
        assertThat(ft.features()).containsExactly("spend");
        assertThat(ft.definition().sourceQuery()).contains("FROM sales.orders");
        assertThat(ft.definition().sourceVersions()).containsEntry("sales.orders", 1L);
        assertThat(ft.table().latest().scan().count()).isEqualTo(2);
        kiln.close();
        kiln = open(dir.resolve("ws"));
        lake = kiln.lakehouse();
        store = features(kiln);
        FeatureTableDefinition d = store.table("fs.spend").definition();
        assertThat(d.primaryKeys()).containsExactly("customer_id");
        assertThat(d.timestampKey()).isEqualTo("ts");
        assertThat(d.tags()).containsEntry("team", "growth");
        assertThat(d.sourceVersions()).containsEntry("sales.orders", 1L);
        assertThat(d.createdAt()).isNotNull();
        assertThat(lake.tableExists(FeatureStore.DEFINITIONS_TABLE)).isTrue();
    }

    /** Declaring an existing table checks its columns; names are unique. */
    @Test
    void registerChecksColumnsAndNames() {
        lake.createTable(TableDefinition.builder("fs.raw").schema("id BIGINT, ts TIMESTAMP, x DOUBLE").build());
        assertThatThrownBy(() -> store.register(FeatureTableDefinition.builder("fs.raw").primaryKeys("nope").timestampKey("ts").build()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> store.register(FeatureTableDefinition.builder("fs.raw").primaryKeys("id").timestampKey("x").build()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("TIMESTAMP");
        assertThatThrownBy(() -> store.register(FeatureTableDefinition.builder("fs.none").primaryKeys("id").timestampKey("ts").build()))
                .isInstanceOf(NotFoundException.class);
        FeatureTable ft = store.register(FeatureTableDefinition.builder("fs.raw").primaryKeys("id").timestampKey("ts").build());
        assertThat(ft.features()).containsExactly("x");
        assertThatThrownBy(() -> store.register(FeatureTableDefinition.builder("fs.raw").primaryKeys("id").timestampKey("ts").build()))
                .isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> FeatureTableDefinition.builder("fs.raw").timestampKey("ts").build())
                .isInstanceOf(InvalidArgumentException.class);
    }

    /** List, search by name, tag and tag value, describe, drop. */
    @Test
    void listSearchDescribeDrop() {
        customerFeatures();
        lake.createTable(TableDefinition.builder("fs.device").schema("device BIGINT, ts TIMESTAMP, temp DOUBLE").build());
        store.register(FeatureTableDefinition.builder("fs.device").primaryKeys("device").timestampKey("ts").tag("domain", "iot").build());
        assertThat(store.list()).extracting(FeatureTableDefinition::name).containsExactly("fs.customer", "fs.device");
        assertThat(store.search("CUSTOMER")).extracting(FeatureTableDefinition::name).containsExactly("fs.customer");
        assertThat(store.search("pii")).extracting(FeatureTableDefinition::name).containsExactly("fs.customer");
        assertThat(store.search("domain=iot")).extracting(FeatureTableDefinition::name).containsExactly("fs.device");
        assertThat(store.search("temp")).extracting(FeatureTableDefinition::name).containsExactly("fs.device");
        FeatureTableDefinition d = store.table("fs.customer").definition();
        assertThat(d.owner()).isEqualTo("team-risk");
        assertThat(d.createdColumn()).isEqualTo("created");
        assertThat(d.featureDescriptions()).containsEntry("spend", "Spend in the last 30 days");
        store.drop("fs.device", false);
        assertThat(lake.tableExists("fs.device")).isTrue();
        store.drop("fs.customer", true);
        assertThat(lake.tableExists("fs.customer")).isFalse();
        assertThat(store.list()).isEmpty();
        assertThat(store.find("fs.customer")).isEmpty();
        assertThatThrownBy(() -> store.drop("fs.customer", true)).isInstanceOf(NotFoundException.class);
    }

    /** Merge replaces the row with the same keys and event time and inserts the others. */
    @Test
    void mergeOnKeysAndEventTime() {
        FeatureTable ft = customerFeatures();
        ft.merge(WriteSource.values(rows(new Object[] {2L, at(5), at(6), 55.0, 9L}, new Object[] {3L, at(5), at(5), 1.0, 1L})));
        List<List<Object>> rows = read(lake.sql("SELECT customer_id, ts, spend FROM fs.customer WHERE customer_id >= 2 ORDER BY 1"));
        assertThat(rows).containsExactly(List.of(2L, at(5), 55.0), List.of(3L, at(5), 1.0));
    }

    // ------------------------------------------------------------------ point-in-time rules

    /** Inclusive e <= t, created-time tie-break, NULL winner stays NULL, no candidate gives NULL, spine order kept. */
    @Test
    void pointInTimeRules() {
        customerFeatures();
        spine(new Object[] {1L, at(19), 0}, new Object[] {1L, at(20), 1}, new Object[] {9L, at(20), 2}, new Object[] {1L, at(35), 3},
                new Object[] {2L, at(4), 4}, new Object[] {1L, at(9), 5}, new Object[] {2L, at(5), 6});
        try (TrainingSet set = store.trainingSet(TrainingSetSpec.builder(Spine.table("ml.spine", "t"))
                .lookup(FeatureLookup.builder("fs.customer").mapKey("customer_id", "id").build()).build())) {
            List<List<Object>> rows = read(set.rows());
            assertThat(rows).containsExactly(
                    Arrays.asList(1L, at(19), 0, 100.0, 1L),
                    Arrays.asList(1L, at(20), 1, 210.0, 3L),     // e = t counts; the later created wins the tie
                    Arrays.asList(9L, at(20), 2, null, null),    // unknown key
                    Arrays.asList(1L, at(35), 3, null, 4L),      // NULL in the winner stays NULL
                    Arrays.asList(2L, at(4), 4, null, null),     // nothing before t
                    Arrays.asList(1L, at(9), 5, null, null),
                    Arrays.asList(2L, at(5), 6, 50.0, 5L));
        }
    }

    /** Unbounded, a window with its edge inclusive, and exact match are different settings; zero is no window. */
    @Test
    void lookbackSettingsAreDistinct() {
        customerFeatures();
        spine(new Object[] {1L, at(30), 0}, new Object[] {1L, at(31), 1}, new Object[] {1L, at(40), 2}, new Object[] {1L, at(41), 3});
        try (TrainingSet set = store.trainingSet(TrainingSetSpec.builder(Spine.table("ml.spine", "t"))
                .lookup(FeatureLookup.builder("fs.customer").mapKey("customer_id", "id").features("orders").build())
                .lookup(FeatureLookup.builder("fs.customer").mapKey("customer_id", "id").features("orders")
                        .rename("orders", "orders_10m").lookback(Duration.ofMinutes(10)).build())
                .lookup(FeatureLookup.builder("fs.customer").mapKey("customer_id", "id").features("orders")
                        .rename("orders", "orders_exact").exactMatch().build()).build())) {
            assertThat(read(set.rows())).containsExactly(
                    Arrays.asList(1L, at(30), 0, 4L, 4L, 4L),
                    Arrays.asList(1L, at(31), 1, 4L, 4L, null),
                    Arrays.asList(1L, at(40), 2, 4L, 4L, null),   // e = t - L exactly: inside
                    Arrays.asList(1L, at(41), 3, 4L, null, null));
        }
        assertThatThrownBy(() -> Lookback.window(Duration.ZERO)).isInstanceOf(InvalidArgumentException.class);
    }

    /** "As known at the time": a row created after the spine time does not leak. */
    @Test
    void asKnownAtTheTimeIgnoresLaterWrites() {
        customerFeatures();
        spine(new Object[] {1L, at(22), 0}, new Object[] {1L, at(40), 1}, new Object[] {1L, at(95), 2});
        try (TrainingSet set = store.trainingSet(TrainingSetSpec.builder(Spine.table("ml.spine", "t"))
                .lookup(FeatureLookup.builder("fs.customer").mapKey("customer_id", "id").asKnownAtTheTime().build()).build())) {
            assertThat(read(set.rows())).containsExactly(
                    Arrays.asList(1L, at(22), 0, 200.0, 2L),     // the correction created at 25 is not known at 22
                    Arrays.asList(1L, at(40), 1, 210.0, 3L),     // the row of e=30 is only known at 90
                    Arrays.asList(1L, at(95), 2, null, 4L));
        }
    }

    /** Spines from a query and from rows; key mapping and renames; clashes and unknown names are refused. */
    @Test
    void spineKindsRenamesAndErrors() {
        customerFeatures();
        TrainingSetSpec spec = TrainingSetSpec.builder(Spine.values(Schema.parse("cust BIGINT, spend DOUBLE, t TIMESTAMP"),
                        rows(new Object[] {1L, -1.0, at(50)}, new Object[] {2L, -2.0, at(50)}), "t"))
                .lookup(FeatureLookup.builder("fs.customer").mapKey("customer_id", "cust").rename("spend", "spend_feature").build()).build();
        try (TrainingSet set = store.trainingSet(spec)) {
            assertThat(read(set.rows())).containsExactly(Arrays.asList(1L, -1.0, at(50), null, 4L), Arrays.asList(2L, -2.0, at(50), 50.0, 5L));
            assertThat(set.lineage().spine()).isEqualTo("rows");
        }
        spine(new Object[] {1L, at(50), 1});
        try (TrainingSet set = store.trainingSet(TrainingSetSpec.builder(Spine.query("SELECT id AS customer_id, t FROM ml.spine", "t"))
                .lookup(FeatureLookup.builder("fs.customer").features("spend").build()).build())) {
            assertThat(read(set.rows())).containsExactly(Arrays.asList(1L, at(50), null));
            assertThat(set.lineage().spineVersions()).containsEntry("ml.spine", 1L);
        }
        assertThatThrownBy(() -> store.trainingSet(TrainingSetSpec.builder(Spine.values(Schema.parse("customer_id BIGINT, spend DOUBLE, t TIMESTAMP"),
                rows(), "t")).lookup(FeatureLookup.builder("fs.customer").build()).build()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("clashes");
        assertThatThrownBy(() -> store.trainingSet(TrainingSetSpec.builder(Spine.table("ml.spine", "t"))
                .lookup(FeatureLookup.builder("fs.customer").build()).build()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("mapKey");
        assertThatThrownBy(() -> store.trainingSet(TrainingSetSpec.builder(Spine.table("ml.spine", "t"))
                .lookup(FeatureLookup.builder("fs.customer").mapKey("customer_id", "id").features("nope").build()).build()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> store.trainingSet(TrainingSetSpec.builder(Spine.table("ml.spine", "t"))
                .lookup(FeatureLookup.builder("fs.missing").build()).build()))
                .isInstanceOf(NotFoundException.class);
        // nothing half-made is left behind (grants and audit are the workspace's own)
        assertThat(lake.tables("system")).filteredOn(t -> !t.equals("system.grants") && !t.equals("system.audit"))
                .containsExactly(FeatureStore.DEFINITIONS_TABLE);
    }

    /** Lineage names every input and version; writeTo keeps spine columns first and is reproducible. */
    @Test
    void lineageAndMaterialisation() {
        FeatureTable ft = customerFeatures();
        Table spine = spine(new Object[] {1L, at(25), 1}, new Object[] {2L, at(25), 0});
        TrainingSetSpec spec = TrainingSetSpec.builder(Spine.table("ml.spine", "t"))
                .lookup(FeatureLookup.builder("fs.customer").mapKey("customer_id", "id").features("spend").build()).build();
        try (TrainingSet set = store.trainingSet(spec)) {
            assertThat(set.lineage().featureTables()).extracting(tv -> tv.table() + "@" + tv.version()).containsExactly("fs.customer@1");
            assertThat(set.lineage().spineVersions()).containsEntry("ml.spine", spine.latest().version());
            assertThat(set.lineage().lookups()).isEqualTo(spec.lookups());
            assertThat(set.lineage().outputColumns()).containsExactly("id", "t", "label", "spend");
            List<List<Object>> before = read(set.rows());
            ft.append(WriteSource.values(rows(new Object[] {1L, at(24), at(24), 999.0, 0L})));
            spine.append(WriteSource.values(rows(new Object[] {3L, at(1), 0})));
            assertThat(read(set.rows())).as("pinned to the versions read at build").isEqualTo(before);
            Table out = set.writeTo("ml.train");
            assertThat(out.latest().schema().names()).containsExactly("id", "t", "label", "spend");
            assertThat(read(out.latest().scan().rows())).isEqualTo(before);
            assertThat(out.latest().properties()).containsKey("kiln.training_set.lineage");
            assertThat(out.latest().properties().get("kiln.training_set.lineage")).contains("fs.customer").contains("\"version\":1");
        }
    }

    // ------------------------------------------------------------------ online store

    /** Warm from the table, look up by key, flag stale values, refresh incrementally, never go back in time. */
    @Test
    void onlineStoreServesLatestAndOnlyMovesForward() {
        FeatureTable ft = customerFeatures();
        Clock clock = Clock.fixed(at(60), ZoneOffset.UTC);
        try (OnlineStore online = store.onlineStore("fs.customer", OnlineStoreOptions.builder().staleAfter(Duration.ofMinutes(40))
                .clock(clock).build())) {
            assertThat(online.size()).isEqualTo(2);
            assertThat(online.features()).containsExactly("spend", "orders");
            FeatureVector v = online.get(1).orElseThrow();
            assertThat(v.values()).containsExactly(null, 4L);
            assertThat(v.eventTime()).isEqualTo(at(30));
            assertThat(v.stale()).isFalse();
            assertThat(online.get(2L).orElseThrow().stale()).isTrue();          // minute 5 is older than 40 minutes at minute 60
            assertThat(online.get(Map.of("customer_id", 2L)).orElseThrow().get("spend")).isEqualTo(50.0);
            assertThat(online.get(7L)).isEmpty();
            assertThatThrownBy(() -> online.get(1L, 2L)).isInstanceOf(dev.kiln.InvalidArgumentException.class).hasMessageContaining("key");

            long version = online.version();
            ft.append(WriteSource.values(rows(new Object[] {1L, at(15), at(99), 1.0, 1L},     // late but older: ignored
                    new Object[] {2L, at(50), at(50), 60.0, 6L},                               // newer: applied
                    new Object[] {4L, at(50), at(50), 4.0, 4L})));                             // new key
            assertThat(online.refresh()).isEqualTo(2);
            assertThat(online.version()).isEqualTo(version + 1);
            assertThat(online.get(1L).orElseThrow().values()).containsExactly(null, 4L);
            assertThat(online.get(2L).orElseThrow().values()).containsExactly(60.0, 6L);
            assertThat(online.get(2L).orElseThrow().tableVersion()).isEqualTo(version + 1);
            assertThat(online.get(4L)).isPresent();
            assertThat(online.refresh()).isZero();

            assertThat(online.write(Map.of("customer_id", 2L, "ts", at(40), "spend", 0.0, "orders", 0L))).isFalse();
            assertThat(online.write(Map.of("customer_id", 2L, "ts", at(55), "spend", 1.5, "orders", 7L))).isTrue();
            assertThat(online.get(2L).orElseThrow().values()).containsExactly(1.5, 7L);
        }
    }

    /** Readers running while refreshes apply new versions never see values of two versions for one key. */
    @Test
    void onlineReadersNeverSeeAMixOfVersions() throws Exception {
        int keys = 200;
        int width = 8;
        StringBuilder ddl = new StringBuilder("id BIGINT, ts TIMESTAMP");
        for (int f = 0; f < width; f++) {
            ddl.append(", f").append(f).append(" BIGINT");
        }
        FeatureTable ft = store.createTable(FeatureTableDefinition.builder("fs.wide").primaryKeys("id").timestampKey("ts").build(),
                Schema.parse(ddl.toString()), WriteSource.values(versionRows(keys, width, 1)));
        try (OnlineStore online = store.onlineStore("fs.wide", OnlineStoreOptions.DEFAULTS)) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong reads = new AtomicLong();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                Thread reader = new Thread(() -> {
                    long id = 0;
                    while (!done.get()) {
                        FeatureVector v = online.get(id++ % keys).orElse(null);
                        if (v == null) {
                            problems.add("missing key");
                            continue;
                        }
                        Object first = v.values()[0];
                        for (Object value : v.values()) {
                            if (!first.equals(value)) {
                                problems.add("mixed vector " + Arrays.toString(v.values()));
                            }
                        }
                        reads.incrementAndGet();
                    }
                });
                reader.start();
                readers.add(reader);
            }
            for (int generation = 2; generation <= 5; generation++) {
                ft.append(WriteSource.values(versionRows(keys, width, generation)));
                online.refresh();
            }
            done.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
            assertThat(problems).isEmpty();
            assertThat(reads.get()).isPositive();
            for (long id = 0; id < keys; id++) {
                assertThat(online.get(id).orElseThrow().values()[0]).isEqualTo(5L);
            }
        }
    }

    private static List<Object[]> versionRows(int keys, int width, long generation) {
        List<Object[]> rows = new ArrayList<>();
        for (long id = 0; id < keys; id++) {
            Object[] row = new Object[width + 2];
            row[0] = id;
            row[1] = at((int) generation);
            for (int f = 0; f < width; f++) {
                row[f + 2] = generation;
            }
            rows.add(row);
        }
        return rows;
    }

    /** An unknown feature table or feature is refused with the names that exist. */
    @Test
    void onlineStoreErrors() {
        customerFeatures();
        assertThatThrownBy(() -> store.onlineStore("fs.nope", OnlineStoreOptions.DEFAULTS)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.onlineStore("fs.customer", OnlineStoreOptions.builder().features("nope").build()))
                .isInstanceOf(KilnException.class).hasMessageContaining("spend");
    }
}
