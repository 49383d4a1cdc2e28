package dev.kiln.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.duckdb.delta.AddFile;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.WriteSource;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java footer reader against DuckDB itself: the statistics of files Kiln writes must equal what
 * DuckDB computes over the same rows, and a source's columns must be typed as DuckDB's DESCRIBE types them.
 */
class ParquetFooterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    DuckEngine engine;
    Connection connection;

    @BeforeEach
    void start() {
        engine = DuckEngine.start(0);
        connection = engine.connect();
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        engine.close();
    }

    private static final String ROWS = "SELECT CAST(CASE WHEN i % 7 = 0 THEN NULL ELSE i - 500 END AS BIGINT) AS b,"
            + " CAST(i % 100 - 50 AS TINYINT) AS ti, CAST(i * 3 - 2000 AS SMALLINT) AS si, CAST(i - 10 AS INTEGER) AS n,"
            + " CAST(i / 3.0 - 100 AS DOUBLE) AS d, CAST(i / 7.0 AS FLOAT) AS f,"
            + " CAST(CASE WHEN i % 2 = 0 THEN 'NaN'::DOUBLE ELSE i END AS DOUBLE) AS withnan,"
            + " CAST(NULL AS DOUBLE) AS allnull,"
            + " CAST((i - 500) / 7 AS DECIMAL(10,3)) AS dec, CAST((i - 500) * 1234567.891 AS DECIMAL(30,3)) AS bigdec,"
            + " CAST('k' || lpad(CAST(i AS VARCHAR), 4, '0') AS VARCHAR) AS s,"
            + " CAST(repeat('é', 20) || lpad(CAST(i AS VARCHAR), 30, 'z') AS VARCHAR) AS longs,"
            + " CAST(DATE '1969-12-01' + CAST(i AS INTEGER) AS DATE) AS dt,"
            + " CAST(TIMESTAMPTZ '1969-12-31 23:00:00+00' + to_microseconds(i * 1234567) AS TIMESTAMPTZ) AS ts,"
            + " CAST(TIMESTAMP '2024-02-29 12:00:00' + to_microseconds(i * 1001) AS TIMESTAMP) AS ntz,"
            + " CAST(TIMESTAMP '2000-01-01 00:00:00' + to_milliseconds(i * 37) AS TIMESTAMP_MS) AS ms,"
            + " i % 3 = 0 AS flag, CAST('x' AS BLOB) AS bin, [i, NULL] AS arr, {'a': i} AS st"
            + " FROM range(1000) r(i)";

    private static final String SCHEMA = "b BIGINT, ti TINYINT, si SMALLINT, n INT, d DOUBLE, f FLOAT, withnan DOUBLE, allnull DOUBLE,"
            + " dec DECIMAL(10,3), bigdec DECIMAL(30,3), s STRING, longs STRING, dt DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ,"
            + " ms TIMESTAMP_NTZ, flag BOOLEAN, bin BINARY, arr ARRAY<BIGINT>, st STRUCT<a: BIGINT>";

    @Test
    void statsOfWrittenFilesMatchDuckDbAggregatesAcrossRowGroups() throws Exception {
        Path table = Files.createDirectories(dir.resolve("t"));
        Schema schema = Schema.parse(SCHEMA);
        // small row groups, so minimum, maximum and null counts are combined across several of them
        try (Statement st = connection.createStatement()) {
            st.execute("SET GLOBAL TimeZone = 'UTC'");
            st.execute("COPY (" + ROWS + ") TO '" + dir.resolve("src.parquet") + "' (FORMAT parquet, ROW_GROUP_SIZE 128)");
        }
        List<AddFile> files = DataFiles.write(connection, "SELECT * FROM read_parquet('" + dir.resolve("src.parquet") + "')", table,
                schema, List.of(), true);
        assertThat(files).hasSize(1);
        JsonNode stats = JSON.readTree(files.get(0).stats());
        assertThat(stats.get("numRecords").asLong()).isEqualTo(1000);
        assertThat(files.get(0).size()).isEqualTo(Files.size(table.resolve(files.get(0).path())));

        for (Field f : schema.fields()) {
            String q = DuckEngine.quote(f.name());
            boolean primitive = f.type() instanceof DataType.Primitive || f.type() instanceof DataType.Decimal;
            if (!primitive) {
                assertThat(stats.get("minValues").has(f.name())).as(f.name()).isFalse();
                continue;
            }
            long nulls = Sql.queryLong(connection, "SELECT count(*) - count(" + q + ") FROM (" + ROWS + ")");
            assertThat(stats.get("nullCount").get(f.name()).asLong()).as("nullCount of " + f.name()).isEqualTo(nulls);
        }
        JsonNode min = stats.get("minValues");
        JsonNode max = stats.get("maxValues");
        assertThat(min.get("b").asLong()).isEqualTo(-499);
        assertThat(max.get("b").asLong()).isEqualTo(499);
        assertThat(min.get("ti").asLong()).isEqualTo(-50);
        assertThat(max.get("ti").asLong()).isEqualTo(49);
        assertThat(min.get("si").asLong()).isEqualTo(-2000);
        assertThat(max.get("si").asLong()).isEqualTo(997);
        assertThat(min.get("n").asLong()).isEqualTo(-10);
        assertThat(max.get("d").asDouble()).isEqualTo(999 / 3.0 - 100);
        assertThat(max.get("f").asDouble()).isEqualTo(Double.parseDouble(Float.toString((float) (999 / 7.0))));
        assertThat(min.has("withnan")).as("a file holding NaN has no usable range").isFalse();
        assertThat(min.has("allnull")).isFalse();
        assertThat(min.get("dec").decimalValue()).isEqualByComparingTo(aggregate("min(dec)"));
        assertThat(max.get("dec").decimalValue()).isEqualByComparingTo(aggregate("max(dec)"));
        assertThat(min.get("bigdec").decimalValue()).isEqualByComparingTo(aggregate("min(bigdec)"));
        assertThat(max.get("bigdec").decimalValue()).isEqualByComparingTo(aggregate("max(bigdec)"));
        assertThat(min.get("s").asText()).isEqualTo("k0000");
        assertThat(max.get("s").asText()).isEqualTo("k0999");
        assertThat(min.get("longs").asText()).isEqualTo("é".repeat(20) + "z".repeat(12)).hasSize(32);
        assertThat(max.has("longs")).as("a cut maximum would not be an upper bound").isFalse();
        assertThat(min.get("dt").asText()).isEqualTo("1969-12-01");
        assertThat(max.get("dt").asText()).isEqualTo(text("max(dt)"));
        assertThat(min.get("ts").asText()).isEqualTo("1969-12-31T23:00:00.000Z");
        assertThat(max.get("ts").asText()).isEqualTo(text("strftime(max(ts), '%Y-%m-%dT%H:%M:%S.%gZ')"));
        assertThat(min.get("ntz").asText()).isEqualTo("2024-02-29T12:00:00.000");
        assertThat(max.get("ntz").asText()).isEqualTo(text("strftime(max(ntz), '%Y-%m-%dT%H:%M:%S.%g')"));
        assertThat(min.get("ms").asText()).isEqualTo("2000-01-01T00:00:00.000");
        assertThat(max.get("ms").asText()).isEqualTo(text("strftime(max(ms), '%Y-%m-%dT%H:%M:%S.%g')"));
        assertThat(min.has("flag")).isFalse();
        assertThat(min.has("bin")).isFalse();
    }

    @Test
    void partitionedWritesReadEveryFileBack() throws Exception {
        Path table = Files.createDirectories(dir.resolve("p"));
        Schema schema = Schema.parse("k STRING, v BIGINT");
        List<AddFile> files = DataFiles.write(connection, "SELECT CAST('p' || (i % 3) AS VARCHAR) AS k, CAST(i AS BIGINT) AS v FROM range(30) r(i)",
                table, schema, List.of("k"), true);
        assertThat(files).hasSize(3);
        long rows = 0;
        for (AddFile f : files) {
            JsonNode stats = JSON.readTree(f.stats());
            rows += stats.get("numRecords").asLong();
            assertThat(stats.get("minValues").has("k")).isFalse();
            assertThat(stats.get("nullCount").get("v").asLong()).isZero();
            assertThat(f.partitionValues()).containsKey("k");
        }
        assertThat(rows).isEqualTo(30);
    }

    @Test
    void anEmptyWriteAddsNoFile() throws Exception {
        Path table = Files.createDirectories(dir.resolve("e"));
        List<AddFile> files = DataFiles.write(connection, "SELECT CAST(i AS BIGINT) AS v FROM range(0) r(i)", table,
                Schema.parse("v BIGINT"), List.of(), true);
        assertThat(files).isEmpty();
        try (var listing = Files.list(table)) {
            assertThat(listing).isEmpty();
        }
    }

    @Test
    void footerTypesAgreeWithDescribe() throws Exception {
        Path file = dir.resolve("types.parquet");
        try (Statement st = connection.createStatement()) {
            st.execute("COPY (" + ROWS.replace(", [i, NULL] AS arr, {'a': i} AS st", "") + ") TO '" + file + "' (FORMAT parquet)");
        }
        Map<String, DataType> fromFooter = ParquetFooter.read(file).kilnColumns();
        assertThat(fromFooter).isNotNull();
        assertThat(fromFooter).isEqualTo(Sources.describe(connection, "SELECT * FROM read_parquet('" + file + "')"));
        // exact: appends pass such columns through uncast, so DuckDB's own type must be the one Kiln writes
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
            while (rs.next()) {
                String duckType = rs.getString("column_type").replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ").replace(" ", "");
                assertThat(duckType).as(rs.getString("column_name"))
                        .isEqualTo(DuckTypes.duck(fromFooter.get(rs.getString("column_name"))).replace(" ", ""));
            }
        }
    }

    @Test
    void sourcesTheFooterCannotTypeForCertainAreDescribedByDuckDb() throws Exception {
        Path nested = dir.resolve("nested.parquet");
        Path unsigned = dir.resolve("unsigned.parquet");
        Path hive = Files.createDirectories(dir.resolve("year=2024")).resolve("h.parquet");
        try (Statement st = connection.createStatement()) {
            st.execute("COPY (SELECT 1 AS a, [1, 2] AS l) TO '" + nested + "' (FORMAT parquet)");
            st.execute("COPY (SELECT 1::UINTEGER AS u, TIMESTAMP_NS '2024-01-01 00:00:00.000000001' AS ns) TO '" + unsigned + "' (FORMAT parquet)");
            st.execute("COPY (SELECT 1 AS a) TO '" + hive + "' (FORMAT parquet)");
        }
        assertThat(ParquetFooter.read(nested).kilnColumns()).isNull();
        assertThat(ParquetFooter.read(unsigned).kilnColumns()).isNull();
        for (Path p : List.of(nested, unsigned, hive)) {
            String relation = "SELECT * FROM read_parquet('" + p + "')";
            assertThat(Sources.columns(connection, WriteSource.parquet(p), relation).types()).as(p.toString())
                    .isEqualTo(Sources.describe(connection, relation));
        }
    }

    @Test
    void aFileThatIsNotParquetIsRefusedWithoutAGuess() throws Exception {
        Path junk = dir.resolve("junk.parquet");
        Files.writeString(junk, "not a parquet file at all");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ParquetFooter.read(junk)).isInstanceOf(java.io.IOException.class);
        Files.write(junk, new byte[] {1, 2, 3, 4, 0x7f, 0x7f, 0x7f, 0x7f, 'P', 'A', 'R', '1'});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ParquetFooter.read(junk)).isInstanceOf(java.io.IOException.class);
    }

    private BigDecimal aggregate(String expression) throws Exception {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT " + expression + " FROM (" + ROWS + ")")) {
            rs.next();
            return rs.getBigDecimal(1);
        }
    }

    private String text(String expression) throws Exception {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT CAST(" + expression + " AS VARCHAR) FROM (" + ROWS + ")")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
