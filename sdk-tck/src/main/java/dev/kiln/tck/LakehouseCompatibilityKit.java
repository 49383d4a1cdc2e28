package dev.kiln.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.AlreadyExistsException;
import dev.kiln.InvalidArgumentException;
import dev.kiln.Kiln;
import dev.kiln.KilnException;
import dev.kiln.NotFoundException;
import dev.kiln.SchemaMismatchException;
import dev.kiln.lakehouse.CommitInfo;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.MergeSpec;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteOptions;
import dev.kiln.lakehouse.WriteSource;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every lakehouse backend must do. A backend's test class extends this and implements
 * {@link #open(Path)}; every test here then runs against that backend.
 */
public abstract class LakehouseCompatibilityKit {

    /** A fresh folder per test. */
    @TempDir
    protected Path dir;

    /** The workspace under test. */
    protected Kiln kiln;

    /** Its lakehouse. */
    protected Lakehouse lake;

    /** Creates the kit. */
    protected LakehouseCompatibilityKit() {
    }

    /**
     * Opens a workspace in a folder with the backend under test.
     *
     * @param root the workspace folder
     * @return the open workspace
     */
    protected abstract Kiln open(Path root);

    /** Opens the workspace and creates schema {@code s}. */
    @BeforeEach
    void openWorkspace() {
        kiln = open(dir.resolve("ws"));
        lake = kiln.lakehouse();
        lake.createSchema("s");
    }

    /** Closes the workspace. */
    @AfterEach
    void closeWorkspace() {
        kiln.close();
    }

    /**
     * Reads every row of a scan.
     *
     * @param rows the cursor
     * @return the rows as lists of Java values
     */
    protected static List<List<Object>> all(Rows rows) {
        try (rows) {
            List<List<Object>> out = new ArrayList<>();
            int width = rows.schema().fields().size();
            while (rows.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 0; i < width; i++) {
                    row.add(rows.get(i));
                }
                out.add(row);
            }
            return out;
        }
    }

    private Table people() {
        return lake.createTable(TableDefinition.builder("s.people").schema("id BIGINT NOT NULL, name STRING, score DOUBLE").build());
    }

    private static Object[] row(Object... values) {
        return values;
    }

    private static List<Object[]> rows(Object[]... rows) {
        return List.of(rows);
    }

    private List<List<Object>> sorted(Table table) {
        return all(lake.sql("SELECT * FROM " + table.name() + " ORDER BY 1"));
    }

    @Test
    void createdTableIsEmptyAtVersionZeroAndListed() {
        Table t = people();
        assertThat(t.latest().version()).isZero();
        assertThat(t.latest().schema()).isEqualTo(Schema.parse("id BIGINT NOT NULL, name STRING, score DOUBLE"));
        assertThat(t.latest().scan().count()).isZero();
        assertThat(lake.tables("s")).containsExactly("s.people");
        assertThat(lake.schemas()).contains("s");
        assertThatThrownBy(this::people).isInstanceOf(AlreadyExistsException.class).hasMessageContaining("s.people");
    }

    @Test
    void everyTypeRoundTrips() {
        Table t = lake.createTable(TableDefinition.builder("s.types").schema(
                "b BOOLEAN, i INT, l BIGINT, f FLOAT, d DOUBLE, m DECIMAL(10,2), str STRING, bin BINARY, dt DATE, ts TIMESTAMP, "
                        + "ntz TIMESTAMP_NTZ, arr ARRAY<DOUBLE>, kv MAP<STRING, INT>, st STRUCT<a: INT, b: STRING>").build());
        Instant ts = Instant.parse("2024-03-01T12:34:56.123456Z");
        t.append(WriteSource.query("SELECT true AS b, 7 AS i, 9000000000 AS l, CAST(1.5 AS FLOAT) AS f, 2.25::DOUBLE AS d, "
                + "12.34::DECIMAL(10,2) AS m, 'héllo' AS str, '\\xAA\\xBB'::BLOB AS bin, DATE '2024-02-29' AS dt, "
                + "TIMESTAMPTZ '2024-03-01 12:34:56.123456+00' AS ts, TIMESTAMP '2024-03-01 01:02:03.000004' AS ntz, "
                + "[1.0, 2.5]::DOUBLE[] AS arr, MAP {'k': 1} AS kv, {'a': 5, 'b': 'x'} AS st"));
        List<List<Object>> rows = all(t.latest().scan().rows());
        assertThat(rows).hasSize(1);
        List<Object> r = rows.get(0);
        assertThat(r.get(0)).isEqualTo(true);
        assertThat(r.get(1)).isEqualTo(7);
        assertThat(r.get(2)).isEqualTo(9_000_000_000L);
        assertThat(r.get(3)).isEqualTo(1.5f);
        assertThat(r.get(4)).isEqualTo(2.25d);
        assertThat(r.get(5)).isEqualTo(new BigDecimal("12.34"));
        assertThat(r.get(6)).isEqualTo("héllo");
        assertThat((byte[]) r.get(7)).containsExactly((byte) 0xAA, (byte) 0xBB);
        assertThat(r.get(8)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(r.get(9)).isEqualTo(ts);
        assertThat(r.get(10)).isEqualTo(LocalDateTime.of(2024, 3, 1, 1, 2, 3, 4000));
        assertThat(r.get(11)).isEqualTo(List.of(1.0, 2.5));
        assertThat(r.get(12)).isEqualTo(Map.of("k", 1));
        assertThat(r.get(13)).isEqualTo(Map.of("a", 5, "b", "x"));
    }

    @Test
    void appendOverwriteAndTimeTravel() throws InterruptedException {
        Table t = people();
        CommitInfo first = t.append(WriteSource.values(rows(row(1L, "a", 1.0), row(2L, "b", 2.0))));
        Thread.sleep(5);
        CommitInfo second = t.append(WriteSource.values(rows(row(3L, "c", 3.0))));
        CommitInfo third = t.overwrite(WriteSource.values(rows(row(9L, "z", 9.0))));
        assertThat(List.of(first.version(), second.version(), third.version())).containsExactly(1L, 2L, 3L);
        assertThat(sorted(t)).containsExactly(List.of(9L, "z", 9.0));
        assertThat(t.asOfVersion(1).scan().count()).isEqualTo(2);
        assertThat(t.asOfVersion(2).scan().count()).isEqualTo(3);
        assertThat(t.asOfTimestamp(first.timestamp()).version()).isEqualTo(1);
        assertThat(t.asOfTimestamp(second.timestamp().minusMillis(1)).version()).isEqualTo(1);
        assertThatThrownBy(() -> t.asOfVersion(42)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> t.asOfTimestamp(Instant.EPOCH)).isInstanceOf(NotFoundException.class);
        assertThat(all(lake.sql("SELECT count(*) FROM s.people VERSION AS OF 2"))).containsExactly(List.of(3L));
        assertThat(all(lake.sql("SELECT count(*) FROM s.people TIMESTAMP AS OF '" + first.timestamp() + "'")))
                .containsExactly(List.of(2L));
    }

    @Test
    void historyNamesOperationsAndPrincipal() {
        Table t = people();
        t.append(WriteSource.values(rows(row(1L, "a", 1.0))));
        t.delete("id = 1");
        List<CommitInfo> history = t.history();
        assertThat(history).extracting(CommitInfo::version).containsExactly(2L, 1L, 0L);
        assertThat(history).extracting(CommitInfo::operation).containsExactly("DELETE", "WRITE", "CREATE TABLE");
        assertThat(history).allSatisfy(c -> assertThat(c.principal()).isEqualTo(kiln.principal().name()));
        assertThat(history).allSatisfy(c -> assertThat(c.engine()).startsWith("Kiln/"));
        assertThat(history.get(1).operationMetrics()).containsEntry("numOutputRows", 1L);
    }

    @Test
    void deleteUpdateAndMerge() {
        Table t = people();
        t.append(WriteSource.values(rows(row(1L, "a", 1.0), row(2L, "b", 2.0), row(3L, "c", null))));
        t.append(WriteSource.values(rows(row(4L, "d", 4.0))));
        t.delete("score < 1.5");
        assertThat(sorted(t)).extracting(r -> r.get(0)).containsExactly(2L, 3L, 4L);
        t.update("id = 2", Map.of("score", "score * 10", "name", "upper(name)"));
        assertThat(sorted(t)).containsExactly(List.of(2L, "B", 20.0), java.util.Arrays.asList(3L, "c", null), List.of(4L, "d", 4.0));
        t.merge(MergeSpec.builder(WriteSource.values(rows(row(3L, "c2", 3.5), row(5L, "e", 5.0))), "id")
                .whenMatchedUpdateAll().whenNotMatchedInsertAll().build());
        assertThat(sorted(t)).containsExactly(List.of(2L, "B", 20.0), List.of(3L, "c2", 3.5), List.of(4L, "d", 4.0),
                List.of(5L, "e", 5.0));
        t.merge(MergeSpec.builder(WriteSource.values(rows(row(4L, "gone", 0.0))), "id")
                .whenMatchedDelete("source.name = 'gone'").build());
        assertThat(sorted(t)).extracting(r -> r.get(0)).containsExactly(2L, 3L, 5L);
        long before = t.latest().version();
        assertThatThrownBy(() -> t.merge(MergeSpec.builder(WriteSource.values(rows(row(7L, "x", 1.0), row(7L, "y", 2.0))), "id")
                .whenNotMatchedInsertAll().build())).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("more than once");
        assertThat(t.latest().version()).isEqualTo(before);
    }

    @Test
    void csvAndQuerySourcesMatchColumnsByName() throws IOException {
        Table t = people();
        Path csv = dir.resolve("in.csv");
        Files.writeString(csv, "score,id,name\n1.5,1,a\n,2,\n");
        t.append(WriteSource.csv(csv));
        assertThat(sorted(t)).containsExactly(List.of(1L, "a", 1.5), java.util.Arrays.asList(2L, null, null));
        lake.createTable(TableDefinition.builder("s.copy").schema("id BIGINT, name STRING, score DOUBLE").build())
                .append(WriteSource.query("SELECT * FROM s.people"));
        assertThat(lake.table("s.copy").latest().scan().count()).isEqualTo(2);
    }

    @Test
    void badInputChangesNothing() throws IOException {
        Table t = people();
        t.append(WriteSource.values(rows(row(1L, "a", 1.0))));
        long version = t.latest().version();
        Path badType = dir.resolve("bad-type.csv");
        Files.writeString(badType, "id,name,score\nnot-a-number,a,1.0\n");
        assertThatThrownBy(() -> t.append(WriteSource.csv(badType))).isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("s.people");
        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "id,name,score\n1,a,1.0,extra,more\n2\n");
        assertThatThrownBy(() -> t.append(WriteSource.csv(ragged))).isInstanceOf(KilnException.class);
        Path unknown = dir.resolve("unknown.csv");
        Files.writeString(unknown, "id,nickname\n5,x\n");
        assertThatThrownBy(() -> t.append(WriteSource.csv(unknown))).isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("nickname");
        assertThatThrownBy(() -> t.append(WriteSource.values(rows(row(null, "n", 1.0)))))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("NOT NULL");
        assertThatThrownBy(() -> t.append(WriteSource.values(rows(row("text", "n", 1.0)))))
                .isInstanceOf(SchemaMismatchException.class);
        assertThatThrownBy(() -> t.append(WriteSource.query("SELECT 1.5::DOUBLE AS id")))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> t.append(WriteSource.csv(dir.resolve("missing.csv")))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> t.delete("no_such_column = 1")).isInstanceOf(InvalidArgumentException.class);
        assertThat(t.latest().version()).isEqualTo(version);
        assertThat(sorted(t)).containsExactly(List.of(1L, "a", 1.0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"s.../x", "../evil.t", "s.a/b", "s.\"q\"", "s.t;DROP TABLE x", "s.t'", "", "s", "a.b.c", "s.t t"})
    void invalidNamesAreRefusedWithoutCreatingAnything(String name) throws IOException {
        List<Path> before;
        try (var files = Files.walk(kiln.root())) {
            before = files.toList();
        }
        assertThatThrownBy(() -> lake.createTable(TableDefinition.builder(name).schema("id BIGINT").build()))
                .isInstanceOf(InvalidArgumentException.class);
        try (var files = Files.walk(kiln.root())) {
            assertThat(files.toList()).containsExactlyInAnyOrderElementsOf(before);
        }
    }

    @Test
    void schemaEvolutionIsOptIn() {
        Table t = people();
        assertThatThrownBy(() -> t.append(WriteSource.query("SELECT 1::BIGINT AS id, 'x' AS city")))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("city");
        assertThat(t.latest().version()).isZero();
        t.write(WriteSource.query("SELECT 1::BIGINT AS id, 'x' AS city"), WriteOptions.APPEND.withMergeSchema());
        assertThat(t.latest().schema().names()).containsExactly("id", "name", "score", "city");
        assertThat(sorted(t)).containsExactly(java.util.Arrays.asList(1L, null, null, "x"));
        assertThat(t.asOfVersion(0).schema().names()).containsExactly("id", "name", "score");
    }

    @Test
    void partitionFilterPrunesFilesAndKeepsRowsRight() {
        Table t = lake.createTable(TableDefinition.builder("s.events").schema("region STRING, id BIGINT, x DOUBLE")
                .partitionBy("region").build());
        t.append(WriteSource.query("SELECT CASE WHEN i % 3 = 0 THEN 'eu' WHEN i % 3 = 1 THEN 'us' ELSE NULL END AS region, "
                + "i::BIGINT AS id, i * 0.5 AS x FROM range(300) r(i)"));
        assertThat(t.latest().fileCount()).isEqualTo(3);
        assertThat(t.latest().scan().filter("region = 'eu'").files()).hasSize(1);
        assertThat(t.latest().scan().filter("region = 'eu'").count()).isEqualTo(100);
        assertThat(t.latest().scan().filter("region IS NULL").count()).isEqualTo(100);
        t.append(WriteSource.query("SELECT 'eu' AS region, 1000::BIGINT AS id, 1.0 AS x"));
        assertThat(t.latest().scan().filter("id >= 1000").files()).hasSize(1);
        assertThat(t.latest().scan().filter("id >= 1000").count()).isEqualTo(1);
        assertThat(all(t.latest().scan().columns("id", "region").filter("id = 298").rows())).containsExactly(List.of(298L, "us"));
    }

    @Test
    void anOrderedScanGivesEveryProjectionTheSameRowOrder() {
        Table t = lake.createTable(TableDefinition.builder("s.pairs").schema("a BIGINT, b BIGINT").build());
        for (int f = 0; f < 3; f++) {
            t.append(WriteSource.query("SELECT h AS a, (h * 7 + 3) % 1000003 AS b FROM (SELECT (hash(i + " + f * 1_000_000
                    + ") % 1000003)::BIGINT AS h FROM range(50000) r(i))"));
        }
        dev.kiln.lakehouse.Scan scan = t.latest().scan();
        // false is always a safe answer; a backend that gives it has nothing more to keep here
        org.junit.jupiter.api.Assumptions.assumeTrue(scan.ordered(), "this backend does not fix the row order of its scans");
        try (Rows a = scan.columns("a").rows(); Rows b = scan.columns("b").rows()) {
            int n = 0;
            while (a.next()) {
                assertThat(b.next()).isTrue();
                long expected = (((Number) a.get(0)).longValue() * 7 + 3) % 1000003;
                if (((Number) b.get(0)).longValue() != expected) {
                    throw new AssertionError("row " + n + ": column b is not from the same row as column a");
                }
                n++;
            }
            assertThat(b.next()).isFalse();
            assertThat(n).isEqualTo(150_000);
        }
    }

    @Test
    void optimizeCompactsWithoutChangingRowsAndVacuumGuardsRetention() {
        Table t = people();
        for (long i = 0; i < 5; i++) {
            t.append(WriteSource.values(rows(row(i, "n" + i, (double) i))));
        }
        List<List<Object>> before = sorted(t);
        assertThat(t.latest().fileCount()).isEqualTo(5);
        CommitInfo optimized = t.optimize();
        assertThat(optimized.operation()).isEqualTo("OPTIMIZE");
        assertThat(t.latest().fileCount()).isEqualTo(1);
        assertThat(sorted(t)).isEqualTo(before);
        assertThatThrownBy(() -> t.vacuum(Duration.ofHours(1), false)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("7 days");
        assertThat(t.vacuum(Duration.ofDays(7), false).deletedFiles()).isEmpty();
        assertThat(t.vacuum(Duration.ZERO, true).deletedFiles()).hasSize(5);
        assertThat(sorted(t)).isEqualTo(before);
    }

    @Test
    void checkpointKeepsTheTableReadable() {
        Table t = people();
        for (long i = 0; i < 12; i++) {
            t.append(WriteSource.values(rows(row(i, "n", 1.0))));
        }
        assertThat(t.checkpoint()).isEqualTo(12);
        t.append(WriteSource.values(rows(row(100L, "n", 1.0))));
        assertThat(lake.table("s.people").latest().scan().count()).isEqualTo(13);
        assertThat(lake.table("s.people").asOfVersion(5).scan().count()).isEqualTo(5);
    }

    @Test
    void externalTablesAreRegisteredByNameAndDroppedWithoutTheirFiles() {
        Kiln other = open(dir.resolve("elsewhere"));
        Path location;
        try (other) {
            other.lakehouse().createSchema("x");
            Table t = other.lakehouse().createTable(TableDefinition.builder("x.ext").schema("id BIGINT").build());
            t.append(WriteSource.values(rows(row(1L), row(2L))));
            location = t.location();
        }
        Table registered = lake.registerTable("s.ext", location);
        assertThat(registered.latest().scan().count()).isEqualTo(2);
        registered.append(WriteSource.values(rows(row(3L))));
        assertThat(lake.tables("s")).contains("s.ext");
        assertThat(all(lake.sql("SELECT sum(id) FROM s.ext"))).containsExactly(List.of(java.math.BigInteger.valueOf(6).longValue()));
        assertThatThrownBy(() -> lake.registerTable("s.ext", location)).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> lake.registerTable("s.none", dir.resolve("no-table"))).isInstanceOf(NotFoundException.class);
        lake.dropTable("s.ext");
        assertThat(lake.tableExists("s.ext")).isFalse();
        assertThat(lake.tableAt(location).latest().scan().count()).isEqualTo(3);
    }

    @Test
    void sqlResolvesTableNamesOutsideQuotesAndKeepsUserAliases() {
        Table t = people();
        t.append(WriteSource.values(rows(row(1L, "a", 1.0), row(2L, "b", 2.0))));
        assertThat(all(lake.sql("SELECT p.id, q.name FROM s.people p JOIN s.people AS q ON p.id = q.id ORDER BY p.id")))
                .containsExactly(List.of(1L, "a"), List.of(2L, "b"));
        assertThat(all(lake.sql("SELECT people.id FROM s.people WHERE people.id = 2"))).containsExactly(List.of(2L));
        assertThat(all(lake.sql("SELECT 's.people' AS label -- s.people\n FROM s.people LIMIT 1"))).containsExactly(List.of("s.people"));
        assertThat(all(lake.sql("SELECT count(*) FROM s.people VERSION AS OF 0 x"))).containsExactly(List.of(0L));
    }

    @Test
    void missingObjectsAreNamed() {
        assertThatThrownBy(() -> lake.table("s.nope")).isInstanceOf(NotFoundException.class).hasMessageContaining("s.nope");
        assertThatThrownBy(() -> lake.table("nope.t")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> lake.createTable(TableDefinition.builder("nope.t").schema("id INT").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> lake.sql("SELECT * FROM s.nope")).isInstanceOf(InvalidArgumentException.class);
        people();
        assertThatThrownBy(() -> lake.dropSchema("s")).isInstanceOf(InvalidArgumentException.class);
        lake.dropTable("s.people");
        assertThat(lake.tables("s")).isEmpty();
        lake.dropSchema("s");
        assertThat(lake.schemas()).doesNotContain("s");
    }
}
