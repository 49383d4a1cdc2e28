package dev.kiln.benchmarks.features;

import dev.kiln.Kiln;
import dev.kiln.duckdb.DuckStorageProvider;
import dev.kiln.features.FeatureLookup;
import dev.kiln.features.FeatureStore;
import dev.kiln.features.FeatureStores;
import dev.kiln.features.FeatureTableDefinition;
import dev.kiln.features.Spine;
import dev.kiln.features.TrainingSet;
import dev.kiln.features.TrainingSetSpec;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: how fast is a point-in-time correct training set (de-duplicated, spine order kept, Delta output)
 * against a hand-written DuckDB {@code ASOF LEFT JOIN} over the same Parquet files (no tie handling, no order)?
 * Target: Kiln at least 0.7x the baseline's speed at 10M spine x 1M feature rows x 20 features.
 *
 * <p>Both sides run in the same JVM on DuckDB with its default thread count. "materialised" writes every column
 * (Kiln: a Delta table via {@code TrainingSet.writeTo}; baseline: {@code COPY ... TO} Parquet); "aggregated" sums
 * over the join inside DuckDB, Kiln once over {@code TrainingSet.sql()} (spine order kept: DuckDB sorts although the sum
 * does not need it) and once over {@code TrainingSet.unorderedSql()} (what an aggregate should use).
 * {@code duckdbAsofOrderedMaterialised} is the baseline made to keep the spine's order, as the point-in-time rules
 * require: it shows what Kiln costs beyond that sort, and it is the baseline the 0.7x target is paired with. The bare
 * join does not give the same rows in the same order twice: at 10M x 1M, three runs of its {@code COPY} on the same
 * files put a different row at 96-99% of the positions of the first (and not the spine's row at 99.99%), so it does not
 * make a training set that is deterministic run after run, which the issue asks of Kiln's; it stays as a figure.
 *
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar TrainingSetBenchmark -f 1 -wi 1 -i 3 \
 *     -p spineRows=10000000 -p featureRows=1000000 -p features=20
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx4g"})
public class TrainingSetBenchmark {

    /** Spine rows. */
    @Param({"10000000"})
    public int spineRows;

    /** Feature table rows (10 per key). */
    @Param({"1000000"})
    public int featureRows;

    /** Feature columns (doubles). */
    @Param({"20"})
    public int features;

    /** Whether 1% of the feature rows repeat a (key, event time), so the join must de-duplicate. */
    @Param({"false"})
    public boolean ties;

    private Path dir;
    private Kiln kiln;
    private Lakehouse lake;
    private FeatureStore store;
    private TrainingSetSpec spec;
    private Connection duck;
    private String baseline;
    private String orderedBaseline;
    private String featureList;
    private int run;

    @Setup
    public void setUp() throws IOException, SQLException {
        dir = Files.createTempDirectory("kiln-pit-bench");
        kiln = Kiln.builder().root(dir.resolve("ws")).storage(new DuckStorageProvider()).open();
        lake = kiln.lakehouse();
        store = FeatureStores.of(kiln);
        lake.createSchema("fs");
        lake.createSchema("ml");
        int keys = Math.max(1, featureRows / 10);
        StringBuilder cols = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (int f = 0; f < features; f++) {
            cols.append(", random() AS f").append(f);
            names.append(", f.f").append(f);
        }
        featureList = names.toString();
        // (key, event time) unique: each row of a key lies on another day
        String rows = "SELECT (i % " + keys + ")::BIGINT AS id, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_days((i // " + keys
                + ")::INT) + to_seconds((hash(i) % 86400)::BIGINT) AS ts" + cols + " FROM range(" + featureRows + ") AS r(i)";
        if (ties) {
            rows += " UNION ALL SELECT (i % " + keys + ")::BIGINT, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_days((i // " + keys
                    + ")::INT) + to_seconds((hash(i) % 86400)::BIGINT)" + cols + " FROM range(" + featureRows + ") AS r(i) WHERE i % 100 = 0";
        }
        store.createTable(FeatureTableDefinition.builder("fs.customer").primaryKeys("id").timestampKey("ts").build(), rows);
        Table spine = lake.createTable(TableDefinition.builder("ml.spine").schema("id BIGINT, t TIMESTAMP, label DOUBLE").build());
        int days = Math.max(1, featureRows / keys);
        spine.append(WriteSource.query("SELECT (random() * " + (keys * 1.1) + ")::BIGINT AS id, TIMESTAMPTZ '2024-01-01 00:00:00+00' + "
                + "to_seconds((random() * 86400 * " + (days + 1) + ")::BIGINT) AS t, random() AS label FROM range(" + spineRows + ")"));
        spec = TrainingSetSpec.builder(Spine.table("ml.spine", "t")).lookup(FeatureLookup.builder("fs.customer").build()).build();

        duck = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement st = duck.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
        }
        baseline = "SELECT s.*" + featureList + " FROM read_parquet(" + files(spine) + ") AS s ASOF LEFT JOIN read_parquet("
                + files(lake.table("fs.customer")) + ") AS f ON s.id = f.id AND s.t >= f.ts";
        orderedBaseline = "SELECT s.* EXCLUDE (__r)" + featureList + " FROM (SELECT *, row_number() OVER () AS __r FROM read_parquet(" + files(spine)
                + ")) AS s ASOF LEFT JOIN read_parquet(" + files(lake.table("fs.customer")) + ") AS f ON s.id = f.id AND s.t >= f.ts ORDER BY s.__r";
    }

    private static String files(Table table) {
        List<String> files = table.latest().scan().files();
        StringBuilder sb = new StringBuilder("[");
        for (String f : files) {
            sb.append(sb.length() == 1 ? "" : ", ").append('\'').append(table.location().resolve(f)).append('\'');
        }
        return sb.append(']').toString();
    }

    @TearDown
    public void tearDown() throws IOException, SQLException {
        duck.close();
        kiln.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public long kilnMaterialised() {
        try (TrainingSet set = store.trainingSet(spec)) {
            return set.writeTo("ml.train").latest().version();
        }
    }

    @Benchmark
    public long duckdbAsofMaterialised() throws SQLException {
        return copyToParquet(baseline);
    }

    private long copyToParquet(String query) throws SQLException {
        Path out = dir.resolve("baseline-" + (run++) + ".parquet");
        try (Statement st = duck.createStatement()) {
            st.execute("COPY (" + query + ") TO '" + out + "' (FORMAT parquet, COMPRESSION snappy)");
        }
        out.toFile().delete();
        return run;
    }

    /**
     * The baseline made to keep the spine's row order, as a training set must (the rule Kiln's own sort serves):
     * the same join numbered and sorted back, so it does the same work as {@code kilnMaterialised} minus the
     * de-duplication and Delta commit.
     *
     * @return a counter, so the work is not optimised away
     * @throws SQLException from DuckDB
     */
    @Benchmark
    public long duckdbAsofOrderedMaterialised() throws SQLException {
        return copyToParquet(orderedBaseline);
    }

    @Benchmark
    public double kilnAggregated() {
        return aggregate(TrainingSet::sql);
    }

    @Benchmark
    public double kilnAggregatedUnordered() {
        return aggregate(TrainingSet::unorderedSql);
    }

    private double aggregate(java.util.function.Function<TrainingSet, String> query) {
        try (TrainingSet set = store.trainingSet(spec);
                Rows rows = lake.sql("SELECT count(*), sum(f0), sum(label) FROM (" + query.apply(set) + ") AS q")) {
            rows.next();
            return ((Number) rows.get(1)).doubleValue();
        }
    }

    @Benchmark
    public double duckdbAsofAggregated() throws SQLException {
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*), sum(f0), sum(label) FROM (" + baseline + ") AS q")) {
            rs.next();
            return rs.getDouble(2);
        }
    }
}
