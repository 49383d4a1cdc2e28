package dev.kiln.duckdb.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.Kiln;
import dev.kiln.duckdb.DuckStorageProvider;
import dev.kiln.features.FeatureLookup;
import dev.kiln.features.FeatureStore;
import dev.kiln.features.FeatureStores;
import dev.kiln.features.FeatureTable;
import dev.kiln.features.FeatureTableDefinition;
import dev.kiln.features.Spine;
import dev.kiln.features.TrainingSet;
import dev.kiln.features.TrainingSetSpec;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The point-in-time join on real DuckDB against a brute-force nested-loop reference written here from the
 * rules in notes/point-in-time.md, on random data full of edge cases: ties in event time (broken by
 * created time, then by value), NULL created times, NULL feature values, event times exactly at
 * {@code t - L}, late and out-of-order batches, keys the feature tables lack, NULL spine keys and times,
 * several feature tables and several lookups of one table in one training set, spine times given in
 * different zones and a feature table whose event time has no zone.
 */
class PointInTimeReferenceTest {
    private static final Instant T0 = Instant.parse("2024-03-10T00:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final ZoneOffset[] ZONES = {ZoneOffset.UTC, ZoneOffset.ofHours(-8), ZoneOffset.ofHoursMinutes(5, 30), ZoneOffset.ofHours(14)};

    @TempDir
    Path dir;

    /** One row of feature table A: key id; event time e; created c (nullable); features x, y, s (nullable). */
    record RowA(Long id, Instant e, Instant c, Double x, Long y, String s) {
    }

    /** One row of feature table B: keys (id, region); event time e without zone (read as UTC); feature z. */
    record RowB(Long id, String region, LocalDateTime e, Double z) {
    }

    /** One spine row. */
    record SpineRow(long seq, Long customer, String region, OffsetDateTime t, double label) {
    }

    private static Instant minute(Random r, int span) {
        return T0.plusSeconds(60L * r.nextInt(span));
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 2L, 3L})
    void matchesTheNestedLoopReference(long seed) {
        Random r = new Random(seed);
        int keys = 12;
        int span = 60;
        try (Kiln kiln = Kiln.builder().root(dir.resolve("ws")).storage(new DuckStorageProvider()).open()) {
            FeatureStore store = FeatureStores.of(kiln);
            kiln.lakehouse().createSchema("fs");
            FeatureTable a = store.createTable(FeatureTableDefinition.builder("fs.a").primaryKeys("id").timestampKey("e")
                    .createdColumn("c").build(), Schema.parse("id BIGINT, e TIMESTAMP, c TIMESTAMP, x DOUBLE, y BIGINT, s STRING"), null);
            FeatureTable b = store.createTable(FeatureTableDefinition.builder("fs.b").primaryKeys("id", "region").timestampKey("e").build(),
                    Schema.parse("id BIGINT, region STRING, e TIMESTAMP_NTZ, z DOUBLE"), null);

            // feature rows arrive in several out-of-order batches; created times run late (backfills) or are missing
            List<RowA> rowsA = new ArrayList<>();
            for (int batch = 0; batch < 4; batch++) {
                List<Object[]> values = new ArrayList<>();
                int n = 25 + r.nextInt(25);
                for (int i = 0; i < n; i++) {
                    RowA row;
                    if (!rowsA.isEmpty() && r.nextInt(5) == 0) {
                        // a tie with an earlier row's key and event time: a correction, sometimes with the same created time
                        RowA old = rowsA.get(r.nextInt(rowsA.size()));
                        Instant c = r.nextBoolean() ? old.c() : (r.nextInt(4) == 0 ? null : old.e().plusSeconds(60L * r.nextInt(30)));
                        row = new RowA(old.id(), old.e(), c, maybe(r, (double) r.nextInt(8)), r.nextInt(6) == 0 ? null : (long) r.nextInt(4),
                                r.nextInt(5) == 0 ? null : "v" + r.nextInt(3));
                    } else {
                        Instant e = minute(r, span);
                        Instant c = r.nextInt(6) == 0 ? null : e.plusSeconds(60L * r.nextInt(r.nextInt(4) == 0 ? 40 : 3));
                        row = new RowA((long) r.nextInt(keys), e, c, maybe(r, (double) r.nextInt(8)), r.nextInt(6) == 0 ? null : (long) r.nextInt(4),
                                r.nextInt(5) == 0 ? null : "v" + r.nextInt(3));
                    }
                    rowsA.add(row);
                    values.add(new Object[] {row.id(), row.e(), row.c(), row.x(), row.y(), row.s()});
                }
                Collections.shuffle(values, r);
                a.append(WriteSource.values(values));
            }
            List<RowB> rowsB = new ArrayList<>();
            List<Object[]> valuesB = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                RowB row = new RowB((long) r.nextInt(keys), r.nextBoolean() ? "eu" : "us",
                        LocalDateTime.ofInstant(minute(r, span), ZoneOffset.UTC), maybe(r, (double) r.nextInt(100)));
                rowsB.add(row);
                valuesB.add(new Object[] {row.id(), row.region(), row.e(), row.z()});
            }
            b.append(WriteSource.values(valuesB));

            // the spine: keys beyond the feature tables' (absent), NULL keys and times, times at the window edges
            kiln.lakehouse().createSchema("ml");
            kiln.lakehouse().createTable(TableDefinition.builder("ml.spine")
                    .schema("seq BIGINT, customer BIGINT, region STRING, t TIMESTAMP, label DOUBLE").build());
            List<SpineRow> spine = new ArrayList<>();
            List<Object[]> spineValues = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                Instant t;
                if (r.nextInt(3) == 0 && !rowsA.isEmpty()) {
                    // exactly at an event time, or exactly L after one (the lookback edge), or just past the edge
                    RowA anchor = rowsA.get(r.nextInt(rowsA.size()));
                    t = anchor.e().plus(switch (r.nextInt(3)) {
                        case 0 -> Duration.ZERO;
                        case 1 -> WINDOW;
                        default -> WINDOW.plusSeconds(60);
                    });
                } else {
                    t = minute(r, span + 15);
                }
                Long customer = r.nextInt(15) == 0 ? null : (long) r.nextInt(keys + 3);
                OffsetDateTime zoned = r.nextInt(20) == 0 ? null : t.atOffset(ZONES[r.nextInt(ZONES.length)]);
                SpineRow row = new SpineRow(i, customer, r.nextBoolean() ? "eu" : "us", zoned, r.nextDouble());
                spine.add(row);
                spineValues.add(new Object[] {row.seq(), row.customer(), row.region(), row.t(), row.label()});
            }
            Collections.shuffle(spine, r);
            spineValues.clear();
            for (SpineRow row : spine) {
                spineValues.add(new Object[] {row.seq(), row.customer(), row.region(), row.t(), row.label()});
            }
            kiln.lakehouse().table("ml.spine").append(WriteSource.values(spineValues));

            TrainingSetSpec spec = TrainingSetSpec.builder(Spine.table("ml.spine", "t"))
                    .lookup(FeatureLookup.builder("fs.a").mapKey("id", "customer").build())
                    .lookup(FeatureLookup.builder("fs.a").mapKey("id", "customer").lookback(WINDOW)
                            .rename("x", "x_w").rename("y", "y_w").rename("s", "s_w").build())
                    .lookup(FeatureLookup.builder("fs.a").mapKey("id", "customer").exactMatch().features("x", "s")
                            .rename("x", "x_e").rename("s", "s_e").build())
                    .lookup(FeatureLookup.builder("fs.a").mapKey("id", "customer").asKnownAtTheTime()
                            .rename("x", "x_k").rename("y", "y_k").rename("s", "s_k").build())
                    .lookup(FeatureLookup.builder("fs.a").mapKey("id", "customer").asKnownAtTheTime().lookback(WINDOW).features("x")
                            .rename("x", "x_kw").build())
                    .lookup(FeatureLookup.builder("fs.b").mapKey("id", "customer").build())
                    .lookup(FeatureLookup.builder("fs.b").mapKey("id", "customer").lookback(WINDOW).rename("z", "z_w").build())
                    .build();
            List<List<Object>> expected = new ArrayList<>();
            for (SpineRow row : spine) {
                Instant t = row.t() == null ? null : row.t().toInstant();
                List<Object> out = new ArrayList<>(Arrays.asList(row.seq(), row.customer(), row.region(), t, row.label()));
                RowA w = winnerA(rowsA, row.customer(), t, null, false, false);
                out.addAll(Arrays.asList(w == null ? null : w.x(), w == null ? null : w.y(), w == null ? null : w.s()));
                w = winnerA(rowsA, row.customer(), t, WINDOW, false, false);
                out.addAll(Arrays.asList(w == null ? null : w.x(), w == null ? null : w.y(), w == null ? null : w.s()));
                w = winnerA(rowsA, row.customer(), t, null, true, false);
                out.addAll(Arrays.asList(w == null ? null : w.x(), w == null ? null : w.s()));
                w = winnerA(rowsA, row.customer(), t, null, false, true);
                out.addAll(Arrays.asList(w == null ? null : w.x(), w == null ? null : w.y(), w == null ? null : w.s()));
                w = winnerA(rowsA, row.customer(), t, WINDOW, false, true);
                out.add(w == null ? null : w.x());
                RowB v = winnerB(rowsB, row.customer(), row.region(), t, null);
                out.add(v == null ? null : v.z());
                v = winnerB(rowsB, row.customer(), row.region(), t, WINDOW);
                out.add(v == null ? null : v.z());
                expected.add(out);
            }

            // the data must exercise the rules, or the comparison proves little
            assertThat(expected).anyMatch(e -> e.get(5) != null && e.get(8) == null);           // lookback cuts a value
            assertThat(expected).anyMatch(e -> e.get(11) != null);                               // exact matches
            assertThat(expected).anyMatch(e -> !Objects.equals(e.get(5), e.get(13)));          // as-known differs
            assertThat(expected).anyMatch(e -> e.get(1) != null && e.get(3) != null && e.get(5) == null && e.get(7) != null); // NULL winner
            assertThat(expected).anyMatch(e -> e.get(17) != null);                               // second table
            try (TrainingSet set = store.trainingSet(spec)) {
                assertThat(set.lineage().outputColumns()).containsExactly("seq", "customer", "region", "t", "label", "x", "y", "s",
                        "x_w", "y_w", "s_w", "x_e", "s_e", "x_k", "y_k", "s_k", "x_kw", "z", "z_w");
                List<List<Object>> actual = read(set.rows());
                assertThat(actual).hasSize(spine.size());
                for (int i = 0; i < spine.size(); i++) {
                    assertThat(actual.get(i)).as("spine row %d (seq %d) of seed %d; sql:%n%s", i, spine.get(i).seq(), seed, set.sql())
                            .isEqualTo(expected.get(i));
                }
                // deterministic run after run, and the same when materialised
                assertThat(read(set.rows())).isEqualTo(actual);
                assertThat(read(set.writeTo("ml.train").latest().scan().rows())).isEqualTo(actual);
                // its SQL run as is gives them in the same order; the unordered SQL gives the same rows
                assertThat(read(kiln.lakehouse().sql(set.sql()))).isEqualTo(actual);
                assertThat(read(kiln.lakehouse().sql(set.unorderedSql()))).containsExactlyInAnyOrderElementsOf(actual);
            }
        }
    }

    private static Double maybe(Random r, double value) {
        return r.nextInt(5) == 0 ? null : value;
    }

    private static List<List<Object>> read(Rows rows) {
        List<List<Object>> out = new ArrayList<>();
        try (rows) {
            int n = rows.schema().fields().size();
            while (rows.next()) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    row.add(rows.get(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    /** NULL is the lowest value; the greatest wins. */
    private static <T extends Comparable<T>> int compareNullLow(T a, T b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return a.compareTo(b);
    }

    private static final Comparator<RowA> RANK_A = (p, q) -> {
        int c = p.e().compareTo(q.e());
        c = c != 0 ? c : compareNullLow(p.c(), q.c());
        c = c != 0 ? c : compareNullLow(p.x(), q.x());
        c = c != 0 ? c : compareNullLow(p.y(), q.y());
        return c != 0 ? c : compareNullLow(p.s(), q.s());
    };

    /** The rule, one candidate at a time: same key, e <= t, t - L <= e, exact e = t, created <= t. */
    private static RowA winnerA(List<RowA> rows, Long key, Instant t, Duration lookback, boolean exact, boolean asKnown) {
        RowA best = null;
        if (key == null || t == null) {
            return null;
        }
        for (RowA row : rows) {
            if (!Objects.equals(row.id(), key) || row.e().isAfter(t)) {
                continue;
            }
            if (lookback != null && row.e().isBefore(t.minus(lookback))) {
                continue;
            }
            if (exact && !row.e().equals(t)) {
                continue;
            }
            if (asKnown && row.c() != null && row.c().isAfter(t)) {
                continue;
            }
            if (best == null || RANK_A.compare(row, best) > 0) {
                best = row;
            }
        }
        return best;
    }

    private static RowB winnerB(List<RowB> rows, Long key, String region, Instant t, Duration lookback) {
        RowB best = null;
        if (key == null || t == null) {
            return null;
        }
        for (RowB row : rows) {
            Instant e = row.e().toInstant(ZoneOffset.UTC);
            if (!Objects.equals(row.id(), key) || !row.region().equals(region) || e.isAfter(t)) {
                continue;
            }
            if (lookback != null && e.isBefore(t.minus(lookback))) {
                continue;
            }
            Instant bestE = best == null ? null : best.e().toInstant(ZoneOffset.UTC);
            if (best == null || e.isAfter(bestE) || (e.equals(bestE) && compareNullLow(row.z(), best.z()) > 0)) {
                best = row;
            }
        }
        return best;
    }
}
