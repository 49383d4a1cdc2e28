package dev.kiln.benchmarks.experiments;

import dev.kiln.experiments.RunPage;
import dev.kiln.experiments.RunQuery;
import dev.kiln.experiments.Run;
import dev.kiln.lakehouse.Rows;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issue 3: search 100,000 runs with {@code metrics.auc > 0.8 and params.max_depth = '6'} ordered
 * by {@code metrics.auc DESC}, first 100; median under 100 ms. {@code delta}: a workspace reopened
 * after logging (the view is loaded once, then reused while no table version moves; each search
 * still checks the versions); {@code memory}: the in-memory store; {@code duckdb-sql}: the
 * equivalent SQL over the same {@code system} tables through {@code Lakehouse.sql}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SearchRunsBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SearchRunsBenchmark {

    static final String SQL = "SELECT runs.run_id, m.auc FROM system.runs "
            + "JOIN (SELECT run_id, max({'step': step, 'timestamp': timestamp, 'value': value}).value AS auc "
            + "FROM system.metric_points JOIN (SELECT DISTINCT series, run_id FROM system.metric_series) USING (series) "
            + "WHERE key = 'auc' GROUP BY run_id) m ON m.run_id = runs.run_id "
            + "JOIN system.run_params ON run_params.run_id = runs.run_id AND run_params.key = 'max_depth' "
            + "WHERE m.auc > 0.8 AND run_params.value = '6' ORDER BY m.auc DESC LIMIT 100";

    /** {@code delta}, {@code memory} or {@code duckdb-sql}. */
    @Param({"delta", "memory", "duckdb-sql"})
    public String impl;

    /** Runs in the experiment. */
    @Param("100000")
    public int runs;

    private Tracking tracking;
    private RunQuery query;

    @Setup(Level.Trial)
    public void setUp() {
        String store = impl.equals("memory") ? "memory" : "delta";
        Tracking writer = Tracking.open(store);
        writer.experiments.createExperiment("search");
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < runs; i++) {
            Run run = writer.experiments.startRun("search");
            run.logParams(Map.of("max_depth", String.valueOf(2 + random.nextInt(8)), "eta", "0.1"));
            run.logMetric("auc", 0.5 + random.nextDouble() * 0.5, 10);
            run.logMetric("logloss", random.nextDouble(), 10);
        }
        writer.experiments.flush();
        if (store.equals("delta")) {
            writer.closeOnly();
            tracking = Tracking.reopen("delta", writer.dir);
        } else {
            tracking = writer;
        }
        query = RunQuery.builder("search").filter("metrics.auc > 0.8 and params.max_depth = '6'")
                .orderBy("metrics.auc DESC").maxResults(100).build();
        if (search() != 100) {
            throw new IllegalStateException("expected a full page of 100 runs");
        }
    }

    @Benchmark
    public int search() {
        if (impl.equals("duckdb-sql")) {
            int n = 0;
            try (Rows rows = tracking.kiln.lakehouse().sql(SQL)) {
                while (rows.next()) {
                    n++;
                }
            }
            return n;
        }
        RunPage page = tracking.experiments.searchRuns(query);
        return page.runs().size();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        tracking.close();
    }
}
