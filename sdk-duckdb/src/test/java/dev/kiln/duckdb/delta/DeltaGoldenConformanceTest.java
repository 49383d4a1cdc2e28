package dev.kiln.duckdb.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.KilnException;
import dev.kiln.duckdb.DuckEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The delta-kernel-rs golden tables (shared/conformance/delta-golden): read, refuse, and a bonus survey. */
class DeltaGoldenConformanceTest {
    private static DuckEngine engine;

    @BeforeAll
    static void start() {
        GoldenTables.root();
        engine = DuckEngine.start(2);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static Stream<GoldenTables.Entry> readTables() {
        return GoldenTables.withExpect("read");
    }

    static Stream<GoldenTables.Entry> errorTables() {
        return GoldenTables.withExpect("error");
    }

    @Test
    void manifestListsTables() {
        assertThat(readTables().count()).isGreaterThan(50);
        assertThat(errorTables().count()).isGreaterThan(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readTables")
    void latestSnapshotEqualsExpected(GoldenTables.Entry entry) throws Exception {
        Path dir = GoldenTables.root().resolve(entry.table());
        LogSnapshot snapshot = DeltaLog.forTable(dir.resolve("delta"), engine).latest();
        Path expected = dir.resolve("expected");
        boolean dataPresent = snapshot.files().stream().allMatch(f -> Files.exists(DeltaPaths.resolve(snapshot.tableDir(), f.path())));
        if (!Files.isDirectory(expected) && !dataPresent) {
            // A log-only table (upstream checks checkpoint handling): the snapshot must reconstruct.
            assertThat(snapshot.files()).isNotEmpty();
            assertThat(snapshot.schema().fields()).isNotEmpty();
            return;
        }
        String sql = SnapshotRelation.sql(engine, snapshot, snapshot.files());
        if (!Files.isDirectory(expected)) {
            // "reads without error": run the relation to the end.
            try (var c = engine.connect(); var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM (" + sql + ")")) {
                assertThat(rs.next()).isTrue();
            }
            return;
        }
        GoldenTables.Comparison cmp = GoldenTables.compare(engine, sql, snapshot, expected);
        assertThat(cmp.equal())
                .as("%s: %d actual rows, %d expected, %d differing; sample: %s", entry.table(), cmp.actualRows(), cmp.expectedRows(),
                        cmp.differing(), cmp.sample())
                .isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorTables")
    void brokenTableIsRefused(GoldenTables.Entry entry) {
        Path dir = GoldenTables.root().resolve(entry.table()).resolve("delta");
        assertThatThrownBy(() -> {
            DeltaLog log = DeltaLog.forTable(dir, engine);
            LogSnapshot s = log.latest();
            SnapshotRelation.sql(engine, s, s.files());
        }).isInstanceOf(KilnException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).isNotBlank();
                    System.out.println("[golden error] " + entry.table() + " -> " + e.getClass().getSimpleName() + ": " + e.getMessage());
                });
    }

    /** Tables upstream skips or does not list: reading them is a bonus, recorded but not counted. */
    @Test
    void surveySkippedAndUnlistedTables() {
        Map<String, String> outcome = new TreeMap<>();
        List<GoldenTables.Entry> entries = new ArrayList<>();
        GoldenTables.manifest().stream().filter(e -> e.expect().equals("skip") || e.expect().equals("unlisted")).forEach(entries::add);
        for (GoldenTables.Entry entry : entries) {
            Path dir = GoldenTables.root().resolve(entry.table());
            try {
                LogSnapshot snapshot = DeltaLog.forTable(dir.resolve("delta"), engine).latest();
                String sql = SnapshotRelation.sql(engine, snapshot, snapshot.files());
                Path expected = dir.resolve("expected");
                if (Files.isDirectory(expected)) {
                    GoldenTables.Comparison cmp = GoldenTables.compare(engine, sql, snapshot, expected);
                    outcome.put(entry.table(), cmp.equal() ? "reads, equals expected" : "reads, differs: " + cmp.differing() + " rows, e.g. " + cmp.sample());
                } else {
                    try (var c = engine.connect(); var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM (" + sql + ")")) {
                        rs.next();
                        outcome.put(entry.table(), "reads " + rs.getLong(1) + " rows (no expected/)");
                    }
                }
            } catch (Exception e) {
                outcome.put(entry.table(), "refused: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        outcome.forEach((t, o) -> System.out.println("[golden bonus] " + t + " -> " + o));
        assertThat(outcome).hasSize(entries.size());
    }
}
