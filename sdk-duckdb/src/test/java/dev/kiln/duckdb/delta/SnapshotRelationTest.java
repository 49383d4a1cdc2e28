package dev.kiln.duckdb.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.StorageException;
import dev.kiln.duckdb.DuckEngine;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Schema;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotRelationTest {
    private static DuckEngine engine;

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

    private static final Protocol DV_PROTOCOL = new Protocol(3, 7, Set.of("deletionVectors"), Set.of("deletionVectors"));

    @Test
    void emptyFileListGivesATypedEmptyRelation() throws Exception {
        Path table = tmp.resolve("empty");
        DeltaLog log = DeltaLog.forTable(table, engine);
        Schema schema = Schema.parse("id BIGINT, ts TIMESTAMP, d DECIMAL(10,2), tags ARRAY<STRING>, s STRUCT<a: INT>");
        log.commit(0, List.of(Protocol.DEFAULT, Metadata.create(schema, List.of(), Map.of())));
        LogSnapshot s = log.latest();
        assertThat(SnapshotRelation.ordered(s, s.files())).isTrue();
        String sql = SnapshotRelation.sql(engine, s, s.files());
        try (Connection c = engine.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            assertThat(md.getColumnCount()).isEqualTo(5);
            assertThat(md.getColumnName(1)).isEqualTo("id");
            assertThat(md.getColumnTypeName(2)).isEqualTo("TIMESTAMP WITH TIME ZONE");
            assertThat(md.getColumnTypeName(3)).isEqualTo("DECIMAL(10,2)");
            assertThat(rs.next()).isFalse();
        }
        assertThat(TestTables.rows(engine, "SELECT column_name, column_type FROM (DESCRIBE " + sql + ")"))
                .contains("tags|VARCHAR[]", "s|STRUCT(a INTEGER)");
    }

    @Test
    void anOrderedRelationReadsEveryProjectionInTheSameRowOrder() {
        // What Scan.ordered() promises and wide training reads rely on: several files of several row
        // groups, read on two threads, give column b beside the same rows' column a in both reads.
        Path table = tmp.resolve("ordered");
        DeltaLog log = DeltaLog.forTable(table, engine);
        List<Action> actions = new ArrayList<>(List.of(Protocol.DEFAULT, Metadata.create(Schema.parse("a BIGINT, b BIGINT"), List.of(), Map.of())));
        for (int f = 0; f < 3; f++) {
            actions.add(TestTables.add(engine, table, "SELECT h AS a, (h * 7 + 3) % 1000003 AS b FROM (SELECT (hash(i + " + f * 1_000_000
                    + ") % 1000003)::BIGINT AS h FROM range(150000) t(i))"));
        }
        log.commit(0, actions);
        LogSnapshot s = log.latest();
        assertThat(SnapshotRelation.ordered(s, s.files())).isTrue();
        String relation = SnapshotRelation.sql(engine, s, s.files());
        long[] a = column(engine, "SELECT a FROM (" + relation + ")", 450_000);
        long[] b = column(engine, "SELECT b FROM (" + relation + ")", 450_000);
        int descents = 0;
        for (int i = 0; i < a.length; i++) {
            if ((a[i] * 7 + 3) % 1000003 != b[i]) {
                throw new AssertionError("row " + i + ": b " + b[i] + " is not the b of a " + a[i]);
            }
            descents += i > 0 && a[i] < a[i - 1] ? 1 : 0;
        }
        assertThat(descents).as("the values are unsorted, so a reordering would show").isGreaterThan(100_000);
    }

    /** One BIGINT column of a query in the order the query returns it. */
    private static long[] column(DuckEngine engine, String sql, int rows) {
        long[] values = new long[rows];
        int n = 0;
        try (Connection c = engine.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values[n++] = rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(n).isEqualTo(rows);
        return values;
    }

    @Test
    void partitionValuesAreTypedFromTheirStrings() {
        Path table = tmp.resolve("part");
        DeltaLog log = DeltaLog.forTable(table, engine);
        Schema schema = Schema.parse("id BIGINT, p_int INT, p_date DATE, p_ts TIMESTAMP, p_ntz TIMESTAMP_NTZ, p_str STRING, p_bool BOOLEAN, p_dec DECIMAL(5,2)");
        List<String> parts = List.of("p_int", "p_date", "p_ts", "p_ntz", "p_str", "p_bool", "p_dec");
        List<Action> actions = new ArrayList<>(List.of(new Protocol(3, 7, Set.of("timestampNtz"), Set.of("timestampNtz")),
                Metadata.create(schema, parts, Map.of())));
        Map<String, String> pv1 = new LinkedHashMap<>();
        pv1.put("p_int", "7");
        pv1.put("p_date", "2024-02-29");
        pv1.put("p_ts", "2021-09-08 11:11:11.123456");
        pv1.put("p_ntz", "2021-09-08 11:11:11");
        pv1.put("p_str", "a b/c%d=e");
        pv1.put("p_bool", "true");
        pv1.put("p_dec", "-1.25");
        Path f1 = TestTables.copy(engine, table.resolve("p_str=a b%2Fc%25d/part-1.parquet"), "SELECT 1::BIGINT AS id");
        actions.add(TestTables.addFor(table, f1, pv1, null));
        Map<String, String> pv2 = new LinkedHashMap<>();
        pv2.put("p_int", null);
        pv2.put("p_date", "");
        pv2.put("p_ts", "1970-01-01T00:00:01.5Z");
        pv2.put("p_str", "");
        // p_ntz, p_bool, p_dec absent: null
        Path f2 = TestTables.copy(engine, table.resolve("part-2.parquet"), "SELECT 2::BIGINT AS id UNION ALL SELECT 3");
        actions.add(TestTables.addFor(table, f2, pv2, null));
        log.commit(0, actions);
        assertThat(f1.toString()).contains("a b%2Fc%25d");
        assertThat(log.latest().files().get(0).path()).contains("a%20b%252Fc%2525d");
        List<String> rows = TestTables.read(engine, log.latest());
        assertThat(rows).containsExactly(
                "1|7|2024-02-29|2021-09-08T11:11:11.123456Z|2021-09-08 11:11:11.0|a b/c%d=e|true|-1.25",
                "2|null|null|1970-01-01T00:00:01.500Z|null|null|null|null",
                "3|null|null|1970-01-01T00:00:01.500Z|null|null|null|null");
        // A subset of the files gives only their rows.
        LogSnapshot s = log.latest();
        assertThat(TestTables.rows(engine, SnapshotRelation.sql(engine, s, List.of(s.files().get(1))))).hasSize(2);
        assertThat(SnapshotRelation.ordered(s, s.files())).as("partition values are joined on").isFalse();
    }

    @Test
    void dataColumnsNamedLikeDuckDbVirtualColumnsStillRead() {
        Path table = tmp.resolve("virtual");
        DeltaLog log = DeltaLog.forTable(table, engine);
        Schema schema = Schema.parse("filename STRING, file_row_number BIGINT, p INT");
        Path f = TestTables.copy(engine, table.resolve("p=1/a.parquet"), "SELECT 'x' AS filename, 42::BIGINT AS file_row_number");
        log.commit(0, List.of(Protocol.DEFAULT, Metadata.create(schema, List.of("p"), Map.of()), TestTables.addFor(table, f, Map.of("p", "1"), null)));
        assertThat(TestTables.read(engine, log.latest())).containsExactly("x|42|1");
    }

    @Test
    void columnsAddedLaterReadAsNullFromOlderFiles() {
        Path table = tmp.resolve("evolve");
        DeltaLog log = DeltaLog.forTable(table, engine);
        Schema v0 = Schema.parse("id BIGINT, s STRUCT<a: INT>");
        Metadata m0 = Metadata.create(v0, List.of(), Map.of());
        log.commit(0, List.of(Protocol.DEFAULT, m0, TestTables.add(engine, table, "SELECT 1::BIGINT AS id, {'a': 10}::STRUCT(a INT) AS s")));
        Schema v1 = Schema.parse("id BIGINT, s STRUCT<a: INT, b: STRING>, extra STRING, big BIGINT");
        log.commit(1, List.of(m0.withSchema(v1), TestTables.add(engine, table,
                "SELECT 2::BIGINT AS id, {'a': 20, 'b': 'x'}::STRUCT(a INT, b VARCHAR) AS s, 'e' AS extra, 5::BIGINT AS big")));
        assertThat(TestTables.read(engine, log.latest())).containsExactly("1|{'a': 10, 'b': NULL}|null|null", "2|{'a': 20, 'b': x}|e|5");
        assertThat(TestTables.read(engine, log.atVersion(0))).containsExactly("1|{'a': 10}");
        // Only old files: the new columns are absent from every file and still come back typed.
        LogSnapshot latest = log.latest();
        AddFile old = latest.files().stream().filter(f -> !f.equals(latest.files().get(1))).findFirst().orElseThrow();
        assertThat(TestTables.rows(engine, SnapshotRelation.sql(engine, latest, List.of(old)))).containsExactly("1|{'a': 10, 'b': NULL}|null|null");
    }

    @Test
    void widenedTypesAreCastToTheTableType() {
        Path table = tmp.resolve("widen");
        DeltaLog log = DeltaLog.forTable(table, engine);
        Metadata m0 = Metadata.create(Schema.parse("v INT, f FLOAT"), List.of(), Map.of());
        log.commit(0, List.of(Protocol.DEFAULT, m0, TestTables.add(engine, table, "SELECT 7::INT AS v, 1.5::FLOAT AS f")));
        log.commit(1, List.of(m0.withSchema(Schema.parse("v BIGINT, f DOUBLE")),
                TestTables.add(engine, table, "SELECT 9000000000::BIGINT AS v, 2.25::DOUBLE AS f")));
        assertThat(TestTables.read(engine, log.latest())).containsExactly("7|1.5", "9000000000|2.25");
    }

    private static Map<String, String> mapping(int id, String physical) {
        return Map.of("delta.columnMapping.id", String.valueOf(id), "delta.columnMapping.physicalName", physical);
    }

    @Test
    void columnMappingNameModeReadsPhysicalNamesUnderLogicalNames() {
        Path table = tmp.resolve("cm-name");
        DeltaLog log = DeltaLog.forTable(table, engine);
        DataType.Struct inner = new DataType.Struct(List.of(new Field("x y", DataType.Primitive.INT, true, mapping(3, "col-x")),
                new Field("later", DataType.Primitive.STRING, true, mapping(6, "col-later"))));
        Schema schema = new Schema(List.of(
                new Field("Id", DataType.Primitive.BIGINT, true, mapping(1, "col-id")),
                new Field("nested", inner, true, mapping(2, "col-nested")),
                new Field("list", new DataType.Array(inner, true), true, mapping(4, "col-list")),
                new Field("m", new DataType.MapType(DataType.Primitive.STRING, inner, true), true, mapping(7, "col-m")),
                new Field("part", DataType.Primitive.STRING, true, mapping(5, "col-part")),
                new Field("gone", DataType.Primitive.STRING, true, mapping(8, "col-gone"))));
        Path f = TestTables.copy(engine, table.resolve("f.parquet"), "SELECT 1::BIGINT AS \"col-id\", {'col-x': 5}::STRUCT(\"col-x\" INT) AS \"col-nested\", "
                + "[{'col-x': 6}, NULL]::STRUCT(\"col-x\" INT)[] AS \"col-list\", MAP {'k': {'col-x': 8}} AS \"col-m\", 'ignored' AS \"Id\"");
        log.commit(0, List.of(new Protocol(2, 5, null, null),
                Metadata.create(schema, List.of("part"), Map.of("delta.columnMapping.mode", "name", "delta.columnMapping.maxColumnId", "8")),
                TestTables.addFor(table, f, Map.of("col-part", "p1"), null)));
        assertThat(TestTables.read(engine, log.latest())).containsExactly(
                "1|{'x y': 5, 'later': NULL}|[{'x y': 6, 'later': NULL}, NULL]|{k={'x y': 8, 'later': NULL}}|p1|null");
        String sql = SnapshotRelation.sql(engine, log.latest(), log.latest().files());
        assertThat(TestTables.rows(engine, "SELECT column_name FROM (DESCRIBE " + sql + ")")).containsExactlyInAnyOrder("Id", "nested", "list", "m", "part", "gone");
    }

    @Test
    void columnMappingIdModeResolvesParquetFieldIds() {
        Path table = tmp.resolve("cm-id");
        DeltaLog log = DeltaLog.forTable(table, engine);
        Schema schema = new Schema(List.of(new Field("a", DataType.Primitive.BIGINT, true, mapping(1, "col-a")),
                new Field("b", DataType.Primitive.STRING, true, mapping(2, "col-b")),
                new Field("c", DataType.Primitive.DOUBLE, true, mapping(3, "col-c"))));
        // Column names in the file are irrelevant in id mode: the field ids decide.
        Path f = TestTables.copy(engine, table.resolve("f.parquet"), "SELECT 10::BIGINT AS zz, 'bee' AS yy", ", FIELD_IDS {zz: 1, yy: 2}");
        log.commit(0, List.of(new Protocol(3, 7, Set.of("columnMapping"), Set.of("columnMapping")),
                Metadata.create(schema, List.of(), Map.of("delta.columnMapping.mode", "id")), TestTables.addFor(table, f, Map.of(), null)));
        assertThat(TestTables.read(engine, log.latest())).containsExactly("10|bee|null");
    }

    @Test
    void columnMappingIdModeWithPartitionsAndDeletionVectors() {
        Path table = tmp.resolve("cm-id-dv");
        DeltaLog log = DeltaLog.forTable(table, engine);
        Schema schema = new Schema(List.of(new Field("a", DataType.Primitive.BIGINT, true, mapping(1, "col-a")),
                new Field("p", DataType.Primitive.INT, true, mapping(2, "col-p"))));
        Path f = TestTables.copy(engine, table.resolve("col-p=4/f.parquet"), "SELECT i::BIGINT AS \"col-a\" FROM range(0, 5) t(i)", ", FIELD_IDS {\"col-a\": 1}");
        AddFile add = TestTables.addFor(table, f, Map.of("col-p", "4"), DeletionVectors.inline(new long[] {0, 4}));
        log.commit(0, List.of(new Protocol(3, 7, Set.of("columnMapping", "deletionVectors"), Set.of("columnMapping", "deletionVectors")),
                Metadata.create(schema, List.of("p"), Map.of("delta.columnMapping.mode", "id")), add));
        LogSnapshot s = log.latest();
        assertThat(TestTables.read(engine, s)).containsExactly("1|4", "2|4", "3|4");
        // The same file passed twice reads once.
        assertThat(TestTables.rows(engine, SnapshotRelation.sql(engine, s, List.of(add, add)))).hasSize(3);
        AddFile other = TestTables.addFor(table, f, Map.of("col-p", "4"), null);
        assertThatThrownBy(() -> SnapshotRelation.sql(engine, s, List.of(add, other))).isInstanceOf(dev.kiln.InvalidArgumentException.class)
                .hasMessageContaining("twice");
    }

    @Test
    void deletionVectorsInlineRelativeAndAbsoluteHideTheirRows() throws Exception {
        Path table = tmp.resolve("dv");
        DeltaLog log = DeltaLog.forTable(table, engine);
        Schema schema = Schema.parse("id BIGINT");
        AddFile a = TestTables.add(engine, table, "SELECT i::BIGINT AS id FROM range(0, 10) t(i)");
        AddFile b = TestTables.add(engine, table, "SELECT i::BIGINT AS id FROM range(100, 110) t(i)");
        AddFile c = TestTables.add(engine, table, "SELECT i::BIGINT AS id FROM range(200, 100200) t(i)");
        log.commit(0, List.of(DV_PROTOCOL, Metadata.create(schema, List.of(), Map.of("delta.enableDeletionVectors", "true")), a, b, c));
        assertThat(TestTables.count(engine, log.latest())).isEqualTo(100_020);
        assertThat(SnapshotRelation.ordered(log.latest(), log.latest().files())).isTrue();

        // v1: inline DV on a (rows 1, 3), file DV with a random prefix on b (rows 0, 9), absolute-path DV on c (a long run + singles).
        DeletionVector inline = DeletionVectors.inline(new long[] {3, 1});
        UUID uuid = UUID.randomUUID();
        long[] cRows = new long[50_003];
        for (int i = 0; i < 50_000; i++) {
            cRows[i] = 10 + i;
        }
        cRows[50_000] = 0;
        cRows[50_001] = 99_999;
        cRows[50_002] = 70_000;
        byte[] bData = DeletionVectors.serialize(new long[] {0, 9});
        byte[] cData = DeletionVectors.serialize(cRows);
        Path dvFile = table.resolve("ab").resolve("deletion_vector_" + uuid + ".bin");
        Files.createDirectories(dvFile.getParent());
        int cOffset = writeDvFile(dvFile, bData, cData);
        ByteBuffer ub = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        DeletionVector relative = new DeletionVector("u", "ab" + DeletionVectors.z85Encode(ub.array()), 1, bData.length, 2);
        DeletionVector absolute = new DeletionVector("p", dvFile.toUri().toString(), cOffset, cData.length, cRows.length);
        assertThat(DeletionVectors.file(table, relative)).isEqualTo(dvFile);
        log.commit(1, List.of(TestTables.remove(a), withDv(a, inline), TestTables.remove(b), withDv(b, relative),
                TestTables.remove(c), withDv(c, absolute)));
        LogSnapshot s1 = log.latest();
        assertThat(s1.files()).hasSize(3);
        assertThat(SnapshotRelation.ordered(s1, s1.files())).as("masked rows are anti-joined away").isFalse();
        assertThat(SnapshotRelation.ordered(s1, List.of())).isTrue();
        List<String> ids = TestTables.rows(engine, "SELECT id FROM (" + SnapshotRelation.sql(engine, s1, s1.files()) + ") WHERE id < 200");
        assertThat(ids).containsExactlyInAnyOrder("0", "2", "4", "5", "6", "7", "8", "9", "101", "102", "103", "104", "105", "106", "107", "108");
        assertThat(TestTables.count(engine, s1)).isEqualTo(100_020 - 2 - 2 - cRows.length);
        assertThat(TestTables.rows(engine, "SELECT count(*) FROM (" + SnapshotRelation.sql(engine, s1, s1.files())
                + ") WHERE id IN (200, 210, 50209, 50210, 70200, 100199)")).containsExactly("1");

        // v2: a's DV replaced by a bigger one (remove old key, add new key): only the new DV applies.
        DeletionVector inline2 = DeletionVectors.inline(new long[] {0, 1, 2});
        log.commit(2, List.of(withDv(a, inline2), new RemoveFile(a.path(), 1L, true, null, null, inline)));
        LogSnapshot s2 = DeltaLog.forTable(table, engine).latest();
        assertThat(s2.files()).hasSize(3);
        assertThat(TestTables.rows(engine, "SELECT id FROM (" + SnapshotRelation.sql(engine, s2, s2.files()) + ") WHERE id < 10"))
                .containsExactlyInAnyOrder("3", "4", "5", "6", "7", "8", "9");
        // Time travel still sees the older DV.
        assertThat(TestTables.rows(engine, "SELECT count(*) FROM (" + SnapshotRelation.sql(engine, log.atVersion(1), log.atVersion(1).files())
                + ") WHERE id < 10")).containsExactly("8");
        // And a checkpoint keeps the DV descriptors.
        log.writeCheckpoint(log.latest());
        for (int v = 0; v <= 2; v++) {
            Files.delete(log.commitPath(v));
        }
        LogSnapshot fromCp = DeltaLog.forTable(table, engine).latest();
        assertThat(fromCp.files()).containsExactlyInAnyOrderElementsOf(s2.files().stream()
                .map(f -> new AddFile(f.path(), f.partitionValues(), f.size(), f.modificationTime(), false, f.stats(), f.deletionVector(), f.tags()))
                .toList());
        assertThat(TestTables.read(engine, fromCp)).isEqualTo(TestTables.read(engine, s2));
    }

    @Test
    void missingOrCorruptDeletionVectorIsRefused() throws Exception {
        Path table = tmp.resolve("dvbad");
        DeltaLog log = DeltaLog.forTable(table, engine);
        AddFile a = TestTables.add(engine, table, "SELECT i::BIGINT AS id FROM range(0, 10) t(i)");
        DeletionVector missing = new DeletionVector("p", table.resolve("nope.bin").toString(), 1, 30, 2);
        log.commit(0, List.of(DV_PROTOCOL, Metadata.create(Schema.parse("id BIGINT"), List.of(), Map.of()), withDv(a, missing)));
        LogSnapshot s = log.latest();
        assertThatThrownBy(() -> SnapshotRelation.sql(engine, s, s.files())).isInstanceOf(StorageException.class).hasMessageContaining("nope.bin");
        DeletionVector wrongCount = new DeletionVector("i", DeletionVectors.inline(new long[] {1, 2}).pathOrInlineDv(),
                null, DeletionVectors.serialize(new long[] {1, 2}).length, 5);
        log.commit(1, List.of(new RemoveFile(a.path(), 1L, true, null, null, missing), withDv(a, wrongCount)));
        LogSnapshot s1 = log.latest();
        assertThatThrownBy(() -> SnapshotRelation.sql(engine, s1, s1.files())).isInstanceOf(StorageException.class).hasMessageContaining("the log says 5");
    }

    @Test
    void z85AndTheProtocolExampleVector() {
        // (The inline example in PROTOCOL.md predates the little-endian format: its magic reads 0x6439D3D0 big-endian, so it is not used here.)
        DeletionVectors.Positions p = DeletionVectors.load(tmp, DeletionVectors.inline(new long[] {29, 3, 4, 7, 11, 18}));
        assertThat(p.toArray()).containsExactly(3, 4, 7, 11, 18, 29);
        assertThat(p.cardinality()).isEqualTo(6);
        assertThat(p.contains(7)).isTrue();
        assertThat(p.contains(8)).isFalse();
        // ZeroMQ's reference vector.
        byte[] hello = {(byte) 0x86, 0x4F, (byte) 0xD2, 0x6F, (byte) 0xB5, 0x59, (byte) 0xF7, 0x5B};
        assertThat(DeletionVectors.z85Encode(hello)).isEqualTo("HelloWorld");
        assertThat(DeletionVectors.z85Decode("HelloWorld")).isEqualTo(hello);
        // 64-bit positions beyond 2^32 round-trip.
        long[] big = {5, (1L << 32) + 7, (3L << 32)};
        assertThat(DeletionVectors.load(tmp, DeletionVectors.inline(big)).toArray()).containsExactly(big);
        assertThatThrownBy(() -> DeletionVectors.z85Decode("abc")).isInstanceOf(StorageException.class);
    }

    @Test
    void escapedAndAbsolutePathsAreDecoded() {
        Path table = tmp.resolve("paths");
        DeltaLog log = DeltaLog.forTable(table, engine);
        Path odd = TestTables.copy(engine, table.resolve("dir with space/ä%41#1.parquet"), "SELECT 1::BIGINT AS id");
        Path outside = TestTables.copy(engine, tmp.resolve("elsewhere/x.parquet"), "SELECT 2::BIGINT AS id");
        AddFile rel = TestTables.addFor(table, odd, Map.of(), null);
        assertThat(rel.path()).isEqualTo("dir%20with%20space/%C3%A4%2541%231.parquet");
        AddFile abs = new AddFile(outside.toUri().toString(), Map.of(), 1, 1, true, null, null, null);
        AddFile absPlain = new AddFile(DeltaPaths.encode(outside.toString()), Map.of(), 1, 1, true, null, null, null);
        log.commit(0, List.of(Protocol.DEFAULT, Metadata.create(Schema.parse("id BIGINT"), List.of(), Map.of()), rel, abs));
        assertThat(TestTables.read(engine, log.latest())).containsExactly("1", "2");
        assertThat(DeltaPaths.resolve(table, absPlain.path())).isEqualTo(outside);
        assertThat(DeltaPaths.resolve(table, "file:///a/b%20c.parquet")).isEqualTo(Path.of("/a/b c.parquet"));
        assertThat(DeltaPaths.resolve(table, "file:/a/b.parquet")).isEqualTo(Path.of("/a/b.parquet"));
        assertThatThrownBy(() -> DeltaPaths.resolve(table, "s3://bucket/x.parquet")).isInstanceOf(StorageException.class).hasMessageContaining("s3");
    }

    private static AddFile withDv(AddFile a, DeletionVector dv) {
        return new AddFile(a.path(), a.partitionValues(), a.size(), a.modificationTime(), true, "{\"numRecords\":10}", dv, null);
    }

    /** Writes a DV file (version byte, then size/data/crc per vector, big-endian); returns the offset of the second vector. */
    private static int writeDvFile(Path file, byte[] first, byte[] second) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(1);
        int secondOffset = 0;
        for (byte[] data : new byte[][] {first, second}) {
            if (data == second) {
                secondOffset = bytes.size();
            }
            out.writeInt(data.length);
            out.write(data);
            CRC32 crc = new CRC32();
            crc.update(data);
            out.writeInt((int) crc.getValue());
        }
        out.flush();
        Files.write(file, bytes.toByteArray());
        return secondOffset;
    }
}
