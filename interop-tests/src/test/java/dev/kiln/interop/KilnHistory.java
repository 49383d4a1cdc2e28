package dev.kiln.interop;

import dev.kiln.lakehouse.CommitInfo;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.MergeSpec;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds Kiln tables with a history that exercises every kind of commit Kiln writes, and records
 * what Kiln itself reads at every version: that is what the other readers must return.
 */
final class KilnHistory {
    /** Every common type Spark and Delta agree on, not partitioned. */
    static final String TYPES_SCHEMA = "id BIGINT NOT NULL, i INT, d DOUBLE, f FLOAT, s STRING, b BOOLEAN, dt DATE, ts TIMESTAMP, "
            + "m DECIMAL(10,2), bin BINARY, arr ARRAY<INT>, kv MAP<STRING, DOUBLE>, st STRUCT<a: INT, b: STRING>";
    /** Partitioned by a string (with awkward values and nulls) and a date. */
    static final String PARTS_SCHEMA = "id BIGINT NOT NULL, p STRING, day DATE, ts TIMESTAMP, x DOUBLE";

    final Table table;
    /** Kiln's commits in order, version 0 first. */
    final List<CommitInfo> commits = new ArrayList<>();
    /** What Kiln reads at each version (canonical, sorted). */
    final Map<Long, List<List<Object>>> expected = new TreeMap<>();

    private KilnHistory(Table table) {
        this.table = table;
    }

    private void record(CommitInfo commit) {
        commits.add(commit);
        expected.put(commit.version(), Canon.kiln(table.asOfVersion(commit.version()).scan().rows()));
        pause();
    }

    long latestVersion() {
        return commits.get(commits.size() - 1).version();
    }

    List<String> operations() {
        return commits.stream().map(CommitInfo::operation).toList();
    }

    /** The checkpoint Parquet files in the table's log, by version. */
    List<Long> checkpointVersions() throws java.io.IOException {
        try (Stream<Path> files = Files.list(table.location().resolve("_delta_log"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.checkpoint\\.parquet"))
                    .map(n -> Long.parseLong(n.substring(0, 20))).sorted().toList();
        }
    }

    /**
     * Copies the table without the commits before its checkpoint at {@code version} (as Delta log cleanup leaves it): a reader of the
     * copy must rebuild the state from Kiln's checkpoint Parquet file.
     */
    Path copyStartingAtCheckpoint(Path target, long version) throws java.io.IOException {
        Path source = table.location();
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : all.toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                String name = p.getFileName().toString();
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else if (!(name.matches("\\d{20}\\.json") && Long.parseLong(name.substring(0, 20)) < version)) {
                    Files.copy(p, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    /** Commits on distinct milliseconds, far enough apart that every reader can tell them apart. */
    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String typesRow(long id, String rest) {
        return "SELECT " + id + " AS id, " + rest;
    }

    private static String typesValues(long id, int i, double d, float f, String s, boolean b, String date, String ts, String m,
            String binHex, String arr, String kv, String st) {
        return "SELECT " + id + "::BIGINT AS id, " + i + "::INT AS i, " + d + "::DOUBLE AS d, " + f + "::FLOAT AS f, '" + s + "' AS s, "
                + b + " AS b, DATE '" + date + "' AS dt, TIMESTAMPTZ '" + ts + "' AS ts, " + m + "::DECIMAL(10,2) AS m, "
                + "from_hex('" + binHex + "') AS bin, " + arr + "::INT[] AS arr, " + kv + " AS kv, " + st + " AS st";
    }

    private static final String NULL_ROW = "NULL::INT AS i, NULL::DOUBLE AS d, NULL::FLOAT AS f, NULL::VARCHAR AS s, "
            + "NULL::BOOLEAN AS b, NULL::DATE AS dt, NULL::TIMESTAMPTZ AS ts, NULL::DECIMAL(10,2) AS m, NULL::BLOB AS bin, "
            + "NULL::INT[] AS arr, NULL::MAP(VARCHAR, DOUBLE) AS kv, NULL::STRUCT(a INT, b VARCHAR) AS st";

    /**
     * s.types: appends, a delete, an update, a merge, an optimize, an explicit checkpoint, then enough
     * appends to pass version 10 (automatic checkpoint) and one more commit after it.
     */
    static KilnHistory types(Lakehouse lake) {
        lake.createSchemaIfNotExists("s");
        KilnHistory h = new KilnHistory(lake.createTable(TableDefinition.builder("s.types").schema(TYPES_SCHEMA).build()));
        Table t = h.table;
        h.record(t.history().get(0));
        h.record(t.append(WriteSource.query(typesValues(1, 10, 1.5, 0.25f, "one", true, "2024-01-01", "2024-01-01 10:00:00.123456+00",
                "1.25", "aabb", "[1, 2]", "MAP {'a': 1.0}", "{'a': 1, 'b': 'x'}")
                + " UNION ALL " + typesValues(2, 20, -2.5, 1.5f, "two", false, "1969-12-31", "1969-12-31 23:59:59.999999+00",
                "-20.05", "00", "[]", "MAP {}", "{'a': NULL, 'b': 'y'}")
                + " UNION ALL " + typesValues(3, 30, 3e10, -0.5f, "héllo wörld", true, "2000-02-29", "2038-01-19 03:14:07.5+00",
                "99999999.99", "ff00ff", "[3, NULL, 5]", "MAP {'k1': 1.5, 'k2': NULL}", "{'a': 3, 'b': NULL}"))));
        h.record(t.append(WriteSource.query(typesValues(4, 40, 0.0, 0f, "", false, "2024-02-29", "2024-02-29 00:00:00+00",
                "0.01", "", "[4]", "MAP {'z': -4.0}", "{'a': 4, 'b': 'four'}")
                + " UNION ALL " + typesRow(5, NULL_ROW))));
        h.record(t.delete("id = 2"));
        h.record(t.update("id = 3", Map.of("d", "d * 10", "s", "upper(s)")));
        h.record(t.merge(MergeSpec.builder(WriteSource.query(
                typesValues(1, 11, 1.75, 0.5f, "one again", false, "2024-01-02", "2024-01-02 11:00:00.000001+00",
                        "2.50", "bb", "[1, 2, 3]", "MAP {'b': 2.0}", "{'a': 11, 'b': 'xx'}")
                        + " UNION ALL " + typesValues(6, 60, 6.5, 6.5f, "six", true, "2024-06-06", "2024-06-06 06:06:06.060606+00",
                        "6.06", "06", "[6, 6]", "MAP {'six': 6.0}", "{'a': 6, 'b': 'six'}")), "id")
                .whenMatchedUpdateAll().whenNotMatchedInsertAll().build()));
        h.record(t.append(WriteSource.query(typesValues(7, 70, 7.5, 7.5f, "seven", false, "2024-07-07", "2024-07-07 07:07:07+00",
                "7.07", "07", "[7]", "MAP {'seven': 7.0}", "{'a': 7, 'b': 'seven'}"))));
        h.record(t.optimize());
        t.checkpoint();
        for (long id = 8; h.latestVersion() < 11; id++) {
            h.record(t.append(WriteSource.query(typesValues(id, (int) id * 10, id + 0.5, id + 0.5f, "row " + id, id % 2 == 0,
                    "2024-08-0" + (id % 9 + 1), "2024-08-08 08:08:08." + id + "+00", id + ".50", "0" + (id % 10), "[" + id + "]",
                    "MAP {'id': " + id + ".0}", "{'a': " + id + ", 'b': 'r" + id + "'}"))));
        }
        h.record(t.delete("id = 4"));
        return h;
    }

    private static String partsRow(long id, String p, String day, String ts, String x) {
        return "SELECT " + id + "::BIGINT AS id, " + (p == null ? "NULL::VARCHAR" : "'" + p + "'") + " AS p, "
                + (day == null ? "NULL::DATE" : "DATE '" + day + "'") + " AS day, TIMESTAMPTZ '" + ts + "' AS ts, " + x + "::DOUBLE AS x";
    }

    /** s.parts: partitioned by (p, day), with spaces, '=', '%', accents and nulls in partition values. */
    static KilnHistory parts(Lakehouse lake) {
        lake.createSchemaIfNotExists("s");
        KilnHistory h = new KilnHistory(lake.createTable(TableDefinition.builder("s.parts").schema(PARTS_SCHEMA)
                .partitionBy("p", "day").build()));
        Table t = h.table;
        h.record(t.history().get(0));
        h.record(t.append(WriteSource.query(String.join(" UNION ALL ",
                partsRow(1, "EU", "2024-01-01", "2024-01-01 00:00:00.000001+00", "1.0"),
                partsRow(2, "EU", "2024-01-02", "2024-01-02 12:00:00+00", "2.0"),
                partsRow(3, "a b", "2024-01-01", "2024-01-03 12:00:00.5+00", "3.0"),
                partsRow(4, null, "2024-01-01", "2024-01-04 23:59:59.999999+00", "4.0"),
                partsRow(5, "x=y", null, "2024-01-05 01:02:03.456789+00", "5.0"),
                partsRow(6, "100%", "2024-01-06", "2024-01-06 06:00:00+00", "6.0"),
                partsRow(7, "ünï", "2024-01-07", "2024-01-07 07:00:00+00", "7.0")))));
        h.record(t.append(WriteSource.query(partsRow(8, "EU", "2024-01-01", "2024-01-08 08:00:00+00", "8.0"))));
        h.record(t.delete("p = 'EU' AND day = DATE '2024-01-02'"));
        h.record(t.update("p IS NULL", Map.of("x", "x * 100")));
        h.record(t.merge(MergeSpec.builder(WriteSource.query(String.join(" UNION ALL ",
                partsRow(3, "a b", "2024-01-01", "2024-01-03 12:00:00.5+00", "33.0"),
                partsRow(9, "US", "2024-01-09", "2024-01-09 09:00:00+00", "9.0"))), "id")
                .whenMatchedUpdateAll().whenNotMatchedInsertAll().build()));
        h.record(t.optimize());
        t.checkpoint();
        h.record(t.append(WriteSource.query(partsRow(10, "EU", "2024-01-01", "2024-01-10 10:00:00+00", "10.0"))));
        return h;
    }
}
