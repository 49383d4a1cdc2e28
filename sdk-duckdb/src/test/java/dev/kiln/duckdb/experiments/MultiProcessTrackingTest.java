package dev.kiln.duckdb.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.Kiln;
import dev.kiln.experiments.Experiment;
import dev.kiln.experiments.Experiments;
import dev.kiln.experiments.MetricPoint;
import dev.kiln.experiments.RunPage;
import dev.kiln.experiments.RunQuery;
import dev.kiln.experiments.RunRecord;
import dev.kiln.experiments.RunStatus;
import dev.kiln.experiments.ViewType;
import dev.kiln.lakehouse.Rows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's proof: 4 JVMs log 250 runs each (params, 100-step metrics) into one experiment that
 * they all create by name at the same time; afterwards there is one experiment, 1,000 runs and
 * every point.
 */
class MultiProcessTrackingTest {
    static final int WORKERS = 4;
    static final int RUNS = 250;
    static final int STEPS = 100;
    static final String[] METRICS = {"loss", "auc"};

    @TempDir
    Path dir;

    private static Process worker(Path root, int worker) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                TrackingWorker.class.getName(), root.toString(), String.valueOf(worker), String.valueOf(RUNS),
                String.valueOf(STEPS)).redirectErrorStream(true).start();
    }

    static double value(int worker, int run, int metric, int step) {
        return worker * 1e6 + run * 1e3 + metric * 100 + step + 0.25;
    }

    @Test
    void fourProcessesLoggingToOneExperimentLoseAndDoubleNothing() throws Exception {
        Path root = dir.resolve("ws");
        List<Process> processes = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            processes.add(worker(root, w));
        }
        for (Process p : processes) {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(output.length() > 3000 ? output.substring(output.length() - 3000) : output).isZero();
            System.out.print(output);
        }
        try (Kiln kiln = Kiln.open(root)) {
            Experiments ex = kiln.experiments();
            List<Experiment> all = ex.listExperiments(ViewType.ALL);
            assertThat(all).extracting(Experiment::name).containsExactly("parallel-training");
            List<RunRecord> runs = new ArrayList<>();
            String token = "";
            do {
                RunPage page = ex.searchRuns(RunQuery.builder("parallel-training").maxResults(300).pageToken(token).build());
                runs.addAll(page.runs());
                token = page.nextPageToken();
            } while (!token.isEmpty());
            assertThat(runs).hasSize(WORKERS * RUNS);
            Set<String> keys = new HashSet<>();
            for (RunRecord r : runs) {
                assertThat(r.info().status()).isEqualTo(RunStatus.FINISHED);
                int w = Integer.parseInt(r.data().params().get("worker"));
                int i = Integer.parseInt(r.data().params().get("index"));
                assertThat(keys.add(w + "/" + i)).as("run %s/%s twice", w, i).isTrue();
                for (int m = 0; m < METRICS.length; m++) {
                    assertThat(r.data().metrics()).containsEntry(METRICS[m], value(w, i, m, STEPS - 1));
                }
            }
            // every point, once
            try (Rows rows = kiln.lakehouse().sql("SELECT count(*), count(DISTINCT (s.run_id, m.key, m.step)) FROM system.metric_points AS m "
                    + "JOIN (SELECT DISTINCT series, run_id FROM system.metric_series) AS s USING (series)")) {
                rows.next();
                assertThat(((Number) rows.get(0)).longValue()).isEqualTo((long) WORKERS * RUNS * METRICS.length * STEPS);
                assertThat(((Number) rows.get(1)).longValue()).isEqualTo((long) WORKERS * RUNS * METRICS.length * STEPS);
            }
            RunRecord sample = runs.get(runs.size() / 2);
            int w = Integer.parseInt(sample.data().params().get("worker"));
            int i = Integer.parseInt(sample.data().params().get("index"));
            List<MetricPoint> history = ex.metricHistory(sample.runId(), "auc");
            assertThat(history).hasSize(STEPS);
            for (int s = 0; s < STEPS; s++) {
                assertThat(history.get(s).step()).isEqualTo(s);
                assertThat(history.get(s).value()).isEqualTo(value(w, i, 1, s));
            }
        }
    }
}
