package dev.kiln.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.Kiln;
import dev.kiln.lakehouse.CommitInfo;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark appends to and merges into a table Kiln created; Kiln reads the result (latest, time
 * travel, filters over Spark's partition values and stats), writes on top, and Spark reads that.
 */
class SparkWritesKilnReadsTest {
    @TempDir
    static Path dir;

    private static final String SCHEMA = "id BIGINT NOT NULL, name STRING, ts TIMESTAMP, x DOUBLE, m DECIMAL(10,2), "
            + "tags ARRAY<STRING>, p STRING, day DATE";

    private static String sparkRows(String... rows) {
        return "SELECT CAST(id AS BIGINT) AS id, name, CAST(ts AS TIMESTAMP) AS ts, CAST(x AS DOUBLE) AS x, CAST(m AS DECIMAL(10,2)) AS m, "
                + "tags, p, CAST(day AS DATE) AS day FROM VALUES " + String.join(", ", rows) + " AS v(id, name, ts, x, m, tags, p, day)";
    }

    private static List<List<Object>> sparkRead(SparkSession spark, Path table, Map<String, String> options) {
        return Canon.spark(spark.read().format("delta").options(options).load(table.toString()).collectAsList());
    }

    private static List<Long> kilnIds(Table t, String filter) {
        return Canon.kiln(t.latest().scan().columns("id").filter(filter).rows()).stream().map(r -> (Long) r.get(0)).sorted().toList();
    }

    @Test
    void sparkAppendsAndMergesIntoAKilnTableAndKilnReadsIt() {
        SparkSession spark = Spark.session();
        try (Kiln kiln = Kiln.open(dir.resolve("ws"))) {
            kiln.lakehouse().createSchema("s");
            Table t = kiln.lakehouse().createTable(TableDefinition.builder("s.events").schema(SCHEMA).partitionBy("p", "day").build());
            Path loc = t.location();
            t.append(WriteSource.query("SELECT 1::BIGINT AS id, 'kiln-1' AS name, TIMESTAMPTZ '2024-01-01 01:00:00.000001+00' AS ts, 1.0 AS x, "
                    + "1.10::DECIMAL(10,2) AS m, ['a'] AS tags, 'a b' AS p, DATE '2024-01-01' AS day "
                    + "UNION ALL SELECT 2, 'kiln-2', TIMESTAMPTZ '2024-01-02 02:00:00+00', 2.0, 2.20, [], NULL, DATE '2024-01-02' "
                    + "UNION ALL SELECT 3, 'kiln-3', TIMESTAMPTZ '2024-01-03 03:00:00+00', 3.0, 3.30, NULL, 'EU', NULL"));

            // Spark: a DataFrame append (version 2), then MERGE INTO (version 3).
            spark.sql(sparkRows(
                    "(4, 'spark-4', '2024-01-04 04:00:00.123456', 4.0, 4.40, array('s4'), 'a b', '2024-01-01')",
                    "(5, 'spark-5', '2024-01-05 05:00:00.999999', 5.0, 5.50, array('s5', 'x'), 'x=y', NULL)",
                    "(6, 'spark-6', '2024-01-06 06:00:00', 6.0, 6.60, array(), NULL, '2024-01-06')"))
                    .write().format("delta").mode("append").save(loc.toString());
            spark.sql("MERGE INTO delta.`" + loc + "` t USING (" + sparkRows(
                    "(1, 'merged-1', '2024-01-01 01:00:00.000001', 10.0, 11.00, array('m1'), 'a b', '2024-01-01')",
                    "(5, 'merged-5', '2024-01-05 05:00:00.999999', 50.0, 55.00, array('m5'), 'x=y', NULL)",
                    "(7, 'spark-7', '2024-01-07 07:07:07.070707', 7.0, 7.70, array('s7'), '100%', '2024-01-07')")
                    + ") s ON t.id = s.id WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *");

            // Kiln reads what Spark wrote exactly as Spark does.
            List<List<Object>> sparkLatest = sparkRead(spark, loc, Map.of());
            assertThat(sparkLatest).hasSize(7);
            assertThat(t.latest().version()).isEqualTo(3);
            assertThat(Canon.kiln(t.latest().scan().rows())).isEqualTo(sparkLatest);
            assertThat(Canon.kiln(kiln.lakehouse().sql("SELECT * FROM s.events"))).isEqualTo(sparkLatest);
            assertThat(Canon.kiln(t.asOfVersion(2).scan().rows())).isEqualTo(sparkRead(spark, loc, Map.of("versionAsOf", "2")));
            assertThat(Canon.kiln(t.asOfVersion(1).scan().rows())).extracting(r -> r.get(0)).containsExactly(1L, 2L, 3L);
            assertThat(t.history()).extracting(CommitInfo::operation).containsExactly("MERGE", "WRITE", "WRITE", "CREATE TABLE");
            assertThat(t.history().get(0).engine()).contains("Spark");

            // Kiln's filters over Spark's partition values (escaped folder names, nulls) and stats (timestamps in ms).
            assertThat(kilnIds(t, "p = 'x=y'")).containsExactly(5L);
            assertThat(kilnIds(t, "p = '100%'")).containsExactly(7L);
            assertThat(kilnIds(t, "p = 'a b'")).containsExactly(1L, 4L);
            assertThat(kilnIds(t, "p IS NULL")).containsExactly(2L, 6L);
            assertThat(kilnIds(t, "day IS NULL")).containsExactly(3L, 5L);
            assertThat(kilnIds(t, "ts = TIMESTAMP '2024-01-05 05:00:00.999999'")).containsExactly(5L);
            assertThat(kilnIds(t, "ts = TIMESTAMP '2024-01-07 07:07:07.070707'")).containsExactly(7L);
            assertThat(kilnIds(t, "ts >= TIMESTAMP '2024-01-04 04:00:00.123456' AND ts < TIMESTAMP '2024-01-04 04:00:00.123457'")).containsExactly(4L);
            assertThat(kilnIds(t, "m = 55.00")).containsExactly(5L);
            assertThat(kilnIds(t, "x > 9.5")).containsExactly(1L, 5L);

            // Kiln writes on top of Spark's commits: an append, and a delete that rewrites a Spark file in
            // an escaped partition folder; Spark reads the result.
            t.append(WriteSource.query("SELECT 8::BIGINT AS id, 'kiln-8' AS name, TIMESTAMPTZ '2024-01-08 08:00:00+00' AS ts, 8.0 AS x, "
                    + "8.80::DECIMAL(10,2) AS m, ['k8'] AS tags, 'x=y' AS p, DATE '2024-01-08' AS day"));
            t.delete("id = 5");
            List<List<Object>> kilnLatest = Canon.kiln(t.latest().scan().rows());
            assertThat(kilnLatest).extracting(r -> r.get(0)).containsExactly(1L, 2L, 3L, 4L, 6L, 7L, 8L);
            assertThat(sparkRead(spark, loc, Map.of())).isEqualTo(kilnLatest);
            assertThat(spark.sql("SELECT id FROM delta.`" + loc + "` WHERE p = 'x=y'").collectAsList()).extracting(r -> r.get(0)).containsExactly(8L);

            // And Spark appends once more after Kiln, which Kiln reads.
            spark.sql(sparkRows("(9, 'spark-9', '2024-01-09 09:00:00', 9.0, 9.90, array('s9'), 'EU', '2024-01-09')"))
                    .write().format("delta").mode("append").save(loc.toString());
            assertThat(Canon.kiln(t.latest().scan().rows())).isEqualTo(sparkRead(spark, loc, Map.of()));
        }
    }

    @Test
    void kilnAndSparkDateMixedCommitsAlike() {
        SparkSession spark = Spark.session();
        try (Kiln kiln = Kiln.open(dir.resolve("ws-times"))) {
            kiln.lakehouse().createSchema("s");
            Table t = kiln.lakehouse().createTable(TableDefinition.builder("s.times").schema(SCHEMA).build());
            t.append(WriteSource.query("SELECT 1::BIGINT AS id, 'kiln-1' AS name, TIMESTAMPTZ '2024-01-01 01:00:00+00' AS ts, 1.0 AS x, "
                    + "1.10::DECIMAL(10,2) AS m, ['a'] AS tags, 'a' AS p, DATE '2024-01-01' AS day"));
            spark.sql(sparkRows("(2, 'spark-2', '2024-01-02 02:00:00', 2.0, 2.20, array('b'), 'b', '2024-01-02')"))
                    .write().format("delta").mode("append").save(t.location().toString());
            t.append(WriteSource.query("SELECT 3::BIGINT AS id, 'kiln-3' AS name, TIMESTAMPTZ '2024-01-03 03:00:00+00' AS ts, 3.0 AS x, "
                    + "3.30::DECIMAL(10,2) AS m, ['c'] AS tags, 'c' AS p, DATE '2024-01-03' AS day"));
            List<Row> history = spark.sql("DESCRIBE HISTORY delta.`" + t.location() + "`").collectAsList();
            assertThat(history.stream().map(r -> r.<Instant>getAs("timestamp")).toList()).as("Spark's commit times vs Kiln's")
                    .isEqualTo(t.history().stream().map(CommitInfo::timestamp).toList());
            for (Row h : history) {
                long version = h.<Long>getAs("version");
                Instant when = h.getAs("timestamp");
                assertThat(t.asOfTimestamp(when).version()).as("Kiln as of Spark's time of version %d (%s)", version, when).isEqualTo(version);
            }
        }
    }
}
