package dev.kiln.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.Kiln;
import dev.kiln.lakehouse.CommitInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Spark 4.0.1 + delta-spark 4.0.0 read tables Kiln wrote: latest, every version, by timestamp, history. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkReadsKilnTest {
    static final DateTimeFormatter SPARK_TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    @TempDir
    static Path dir;

    Kiln kiln;
    KilnHistory types;
    KilnHistory parts;
    SparkSession spark;

    @BeforeAll
    void build() {
        kiln = Kiln.open(dir.resolve("ws"));
        types = KilnHistory.types(kiln.lakehouse());
        parts = KilnHistory.parts(kiln.lakehouse());
        spark = Spark.session();
    }

    @AfterAll
    void close() {
        kiln.close();
    }

    private Dataset<Row> read(KilnHistory h, Map<String, String> options) {
        return spark.read().format("delta").options(options).load(h.table.location().toString());
    }

    private static List<List<Object>> rows(Dataset<Row> df) {
        return Canon.spark(df.collectAsList());
    }

    @Test
    void logHasTheCommitsUnderTest() throws Exception {
        assertThat(types.operations()).contains("CREATE TABLE", "WRITE", "DELETE", "UPDATE", "MERGE", "OPTIMIZE");
        assertThat(types.checkpointVersions()).contains(7L, 10L);
        assertThat(types.latestVersion()).isGreaterThan(10);
        assertThat(parts.checkpointVersions()).isNotEmpty();
    }

    @Test
    void sparkReadsTheLatestVersionAsKilnDoes() {
        for (KilnHistory h : List.of(types, parts)) {
            List<List<Object>> kilnRows = Canon.kiln(h.table.latest().scan().rows());
            assertThat(kilnRows).isEqualTo(h.expected.get(h.latestVersion()));
            assertThat(rows(read(h, Map.of()))).as("Spark read of %s", h.table.name()).isEqualTo(kilnRows);
        }
    }

    @Test
    void sparkRebuildsTheStateFromKilnCheckpoint() throws Exception {
        Path copy = types.copyStartingAtCheckpoint(dir.resolve("from-checkpoint"), 10);
        assertThat(copy.resolve("_delta_log/00000000000000000009.json")).doesNotExist();
        assertThat(rows(spark.read().format("delta").load(copy.toString()))).isEqualTo(types.expected.get(types.latestVersion()));
        Path partsCopy = parts.copyStartingAtCheckpoint(dir.resolve("parts-from-checkpoint"), parts.checkpointVersions().get(0));
        assertThat(rows(spark.read().format("delta").load(partsCopy.toString()))).isEqualTo(parts.expected.get(parts.latestVersion()));
    }

    @Test
    void sparkSeesKilnSchemaAndPartitioning() {
        Dataset<Row> df = read(types, Map.of());
        assertThat(df.schema().simpleString()).isEqualTo("struct<id:bigint,i:int,d:double,f:float,s:string,b:boolean,dt:date,"
                + "ts:timestamp,m:decimal(10,2),bin:binary,arr:array<int>,kv:map<string,double>,st:struct<a:int,b:string>>");
        List<Row> detail = spark.sql("DESCRIBE DETAIL delta.`" + parts.table.location() + "`").collectAsList();
        assertThat(detail.get(0).<scala.collection.Seq<String>>getAs("partitionColumns").mkString(",")).isEqualTo("p,day");
        assertThat(detail.get(0).<Long>getAs("numFiles")).isEqualTo(parts.table.latest().fileCount());
    }

    /**
     * One version right after each kind of commit: appends, delete, update, merge, optimize, and the
     * versions Kiln checkpointed (7 explicitly, 10 automatically). Each Spark time travel rebuilds a
     * snapshot, which costs seconds on this machine, so not every version (delta-kernel checks them all).
     */
    private static final Map<String, List<Long>> VERSIONS = Map.of("s.types", List.of(1L, 3L, 4L, 5L, 7L, 10L), "s.parts", List.of(3L, 5L));

    private static List<Long> interestingVersions(KilnHistory h) {
        List<Long> versions = VERSIONS.get(h.table.name());
        assertThat(versions).allSatisfy(v -> assertThat(h.expected).containsKey(v));
        return versions;
    }

    @Test
    void sparkTimeTravelsToKilnVersions() {
        for (KilnHistory h : List.of(types, parts)) {
            for (long v : interestingVersions(h)) {
                assertThat(rows(read(h, Map.of("versionAsOf", Long.toString(v)))))
                        .as("%s VERSION AS OF %d", h.table.name(), v).isEqualTo(h.expected.get(v));
            }
        }
        assertThat(rows(spark.sql("SELECT * FROM delta.`" + types.table.location() + "` VERSION AS OF 3")))
                .isEqualTo(types.expected.get(3L));
    }

    /** Runs one labelled query per filter, as a single Spark job, and returns label -> sorted ids. */
    private Map<String, List<Long>> idsPerFilter(Path table, Map<String, String> filters) {
        StringBuilder sql = new StringBuilder();
        filters.forEach((label, filter) -> sql.append(sql.isEmpty() ? "" : " UNION ALL ")
                .append("SELECT '").append(label).append("' AS label, id FROM delta.`").append(table).append("` WHERE ").append(filter));
        Map<String, List<Long>> out = new java.util.TreeMap<>();
        filters.keySet().forEach(k -> out.put(k, new ArrayList<>()));
        for (Row r : spark.sql(sql.toString()).collectAsList()) {
            out.get(r.getString(0)).add(r.getLong(1));
        }
        out.values().forEach(l -> l.sort(null));
        return out;
    }

    @Test
    void sparkFiltersByPartitionValuesAndStatsLikeKiln() {
        // Spark skips files by Kiln's partition values and add.stats: no matching row may be lost.
        Map<String, String> partsFilters = new java.util.LinkedHashMap<>();
        partsFilters.put("space", "p = 'a b'");
        partsFilters.put("nullP", "p IS NULL");
        partsFilters.put("nullDay", "day IS NULL");
        partsFilters.put("equals", "p = 'x=y'");
        partsFilters.put("percent", "p = '100%'");
        partsFilters.put("accents", "p = 'ünï'");
        partsFilters.put("day", "day = DATE'2024-01-09'");
        partsFilters.put("maxMicros", "ts = TIMESTAMP'2024-01-04 23:59:59.999999'");
        partsFilters.put("minMicros", "ts = TIMESTAMP'2024-01-01 00:00:00.000001'");
        partsFilters.put("x", "x >= 33.0 AND x <= 400.0");
        Map<String, List<Long>> expectedParts = new java.util.TreeMap<>();
        partsFilters.forEach((label, filter) -> expectedParts.put(label,
                Canon.kiln(parts.table.latest().scan().columns("id").filter(filter).rows()).stream().map(r -> (Long) r.get(0)).sorted().toList()));
        assertThat(expectedParts).containsEntry("space", List.of(3L)).containsEntry("nullP", List.of(4L)).containsEntry("nullDay", List.of(5L))
                .containsEntry("maxMicros", List.of(4L)).containsEntry("minMicros", List.of(1L)).containsEntry("x", List.of(3L, 4L));
        assertThat(idsPerFilter(parts.table.location(), partsFilters)).isEqualTo(expectedParts);

        Map<String, String> typesFilters = new java.util.LinkedHashMap<>();
        typesFilters.put("tsMicros", "ts = TIMESTAMP'2024-01-02 11:00:00.000001'");
        typesFilters.put("tsBefore1970", "ts = TIMESTAMP'1969-12-31 23:59:59.999999'");
        typesFilters.put("decimalMax", "m = 99999999.99");
        typesFilters.put("upperAccents", "s = 'HÉLLO WÖRLD'");
        typesFilters.put("leapDay", "dt = DATE'2000-02-29'");
        typesFilters.put("float", "f = 6.5");
        typesFilters.put("nullI", "i IS NULL");
        Map<String, List<Long>> expectedTypes = new java.util.TreeMap<>();
        typesFilters.forEach((label, filter) -> expectedTypes.put(label,
                Canon.kiln(types.table.latest().scan().columns("id").filter(filter).rows()).stream().map(r -> (Long) r.get(0)).sorted().toList()));
        assertThat(expectedTypes).containsEntry("tsMicros", List.of(1L)).containsEntry("decimalMax", List.of(3L)).containsEntry("nullI", List.of(5L));
        assertThat(idsPerFilter(types.table.location(), typesFilters)).isEqualTo(expectedTypes);
    }

    private List<Row> history(KilnHistory h) {
        return spark.sql("DESCRIBE HISTORY delta.`" + h.table.location() + "`").collectAsList();
    }

    @Test
    void sparkHistoryShowsKilnOperations() {
        for (KilnHistory h : List.of(types, parts)) {
            List<Long> versions = new ArrayList<>();
            List<String> operations = new ArrayList<>();
            for (Row r : history(h)) {
                versions.add(r.<Long>getAs("version"));
                operations.add(r.<String>getAs("operation"));
            }
            List<CommitInfo> kilnHistory = h.table.history();
            assertThat(versions).isEqualTo(kilnHistory.stream().map(CommitInfo::version).toList());
            assertThat(operations).as("operations of %s", h.table.name()).isEqualTo(kilnHistory.stream().map(CommitInfo::operation).toList());
            assertThat(operations).contains("CREATE TABLE", "WRITE", "DELETE", "UPDATE", "MERGE", "OPTIMIZE");
        }
    }

    @Test
    void sparkDatesKilnCommitsAsKilnDoes() {
        for (KilnHistory h : List.of(types, parts)) {
            List<Instant> timestamps = history(h).stream().map(r -> r.<Instant>getAs("timestamp")).toList();
            // Without in-commit timestamps a Delta reader dates a commit by its file's modification time;
            // Kiln must report (and time-travel by) the same instant.
            assertThat(timestamps).as("commit timestamps of %s (Spark vs Kiln)", h.table.name())
                    .isEqualTo(h.table.history().stream().map(CommitInfo::timestamp).toList());
        }
    }

    @Test
    void sparkTimestampAsOfAKilnCommitTimeGivesThatVersion() {
        Map<String, List<Long>> versions = Map.of("s.types", List.of(1L, 5L, 10L), "s.parts", List.of(3L));
        for (KilnHistory h : List.of(types, parts)) {
            for (CommitInfo c : h.commits) {
                if (!versions.get(h.table.name()).contains(c.version())) {
                    continue;
                }
                assertThat(h.table.asOfTimestamp(c.timestamp()).version()).isEqualTo(c.version());
                assertThat(rows(read(h, Map.of("timestampAsOf", SPARK_TS.format(c.timestamp())))))
                        .as("%s TIMESTAMP AS OF %s (Kiln commit time of version %d)", h.table.name(), c.timestamp(), c.version())
                        .isEqualTo(h.expected.get(c.version()));
            }
        }
    }
}
