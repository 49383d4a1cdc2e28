package dev.kiln.duckdb.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.AlreadyExistsException;
import dev.kiln.InvalidArgumentException;
import dev.kiln.Kiln;
import dev.kiln.experiments.DatasetInput;
import dev.kiln.experiments.Experiment;
import dev.kiln.experiments.Experiments;
import dev.kiln.experiments.LifecycleStage;
import dev.kiln.experiments.MetricPoint;
import dev.kiln.experiments.Run;
import dev.kiln.experiments.RunQuery;
import dev.kiln.experiments.RunRecord;
import dev.kiln.experiments.RunStatus;
import dev.kiln.experiments.ViewType;
import dev.kiln.lakehouse.Rows;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the Delta tracking store adds to the kit: durability, other writers, the table layout. */
class DeltaTrackingStoreTest {
    @TempDir
    Path dir;

    private static long count(Kiln kiln, String sql) {
        try (Rows rows = kiln.lakehouse().sql(sql)) {
            rows.next();
            return ((Number) rows.get(0)).longValue();
        }
    }

    @Test
    void reopeningTheWorkspaceShowsEverything() {
        String runId;
        String childId;
        try (Kiln kiln = Kiln.open(dir)) {
            Experiments ex = kiln.experiments();
            ex.createExperiment("churn", Map.of("team", "growth"));
            ex.setExperimentTag("churn", "owner", "alice");
            try (Run run = ex.startRun("churn")) {
                runId = run.id();
                run.logParams(Map.of("max_depth", "6", "eta", "0.1"));
                for (int step = 0; step < 10; step++) {
                    run.logMetric("auc", 0.5 + step / 100.0, step);
                }
                run.setTag("note", "first");
                run.setTag("tmp", "x");
                run.deleteTag("tmp");
                run.logInput(DatasetInput.of("sales.orders", 3, DatasetInput.TRAIN));
                try (Run child = run.startNestedRun("trial-1")) {
                    childId = child.id();
                    child.logMetric("loss", 1.5);
                }
            }
            ex.createExperiment("gone");
            ex.deleteExperiment("gone");
        }
        try (Kiln kiln = Kiln.open(dir)) {
            Experiments ex = kiln.experiments();
            Experiment e = ex.getExperiment("churn");
            assertThat(e.tags()).containsEntry("team", "growth").containsEntry("owner", "alice");
            assertThat(ex.listExperiments()).extracting(Experiment::name).containsExactly("churn");
            assertThat(ex.listExperiments(ViewType.ALL)).extracting(Experiment::name).containsExactly("churn", "gone");
            RunRecord r = ex.getRun(runId);
            assertThat(r.info().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(r.info().endTime()).isNotNull();
            assertThat(r.data().params()).containsExactlyInAnyOrderEntriesOf(Map.of("max_depth", "6", "eta", "0.1"));
            assertThat(r.data().metrics()).containsEntry("auc", 0.59);
            assertThat(r.data().tags()).containsEntry("note", "first").doesNotContainKey("tmp")
                    .containsKey("mlflow.user").containsKey("mlflow.runName");
            assertThat(r.inputs()).containsExactly(DatasetInput.of("sales.orders", 3, DatasetInput.TRAIN));
            assertThat(ex.metricHistory(runId, "auc")).extracting(MetricPoint::step)
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            RunRecord child = ex.getRun(childId);
            assertThat(child.info().parentRunId()).isEqualTo(runId);
            assertThat(child.data().tags()).containsEntry("mlflow.parentRunId", runId).containsEntry("mlflow.runName", "trial-1");
            assertThat(ex.searchRuns(RunQuery.builder("churn").filter("params.max_depth = '6' and metrics.auc > 0.55").build())
                    .runs()).extracting(RunRecord::runId).containsExactly(runId);
            // logging resumes where it stopped, and params stay immutable across reopenings
            try (Run again = ex.resumeRun(runId)) {
                assertThatThrownBy(() -> again.logParam("max_depth", "8")).isInstanceOf(InvalidArgumentException.class);
                again.logMetric("auc", 0.9, 10);
            }
            assertThat(ex.getRun(runId).data().metrics()).containsEntry("auc", 0.9);
        }
    }

    @Test
    void oddValuesRoundTripExactly() {
        double[] values = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE,
            Double.MAX_VALUE, 0.1 + 0.2, 1e-300, -123456.789e10};
        String text = "a \"quoted\", comma\nnew line; 'single' \\ back ünïcödé \t tab";
        String runId;
        try (Kiln kiln = Kiln.open(dir)) {
            try (Run run = kiln.experiments().startRun("odd")) {
                runId = run.id();
                for (int i = 0; i < values.length; i++) {
                    run.logMetric("m", values[i], i, 1000 + i);
                }
                run.logParam("p", text);
                run.setTag("t", text);
                run.setTag("empty", "");
            }
        }
        try (Kiln kiln = Kiln.open(dir)) {
            List<MetricPoint> history = kiln.experiments().metricHistory(runId, "m");
            assertThat(history).hasSize(values.length);
            for (int i = 0; i < values.length; i++) {
                assertThat(Double.doubleToRawLongBits(history.get(i).value())).as("value %s", values[i])
                        .isEqualTo(Double.doubleToRawLongBits(values[i]));
                assertThat(history.get(i).timestamp()).isEqualTo(1000 + i);
            }
            RunRecord r = kiln.experiments().getRun(runId);
            assertThat(r.data().params()).containsEntry("p", text);
            assertThat(r.data().tags()).containsEntry("t", text).containsEntry("empty", "");
        }
    }

    @Test
    void anotherWriterSeesCommittedStateAndOneExperimentPerName() {
        try (Kiln a = Kiln.open(dir); Kiln b = Kiln.open(dir)) {
            Experiment ea = a.experiments().createExperiment("shared");
            assertThatThrownBy(() -> b.experiments().createExperiment("shared")).isInstanceOf(AlreadyExistsException.class);
            assertThat(b.experiments().getOrCreateExperiment("shared")).isEqualTo(ea);
            String runId;
            try (Run run = a.experiments().startRun("shared")) {
                runId = run.id();
                run.logParam("p", "1");
                run.logMetric("m", 2.0);
                run.flush();
                // committed: the other writer sees it while the run is still running
                assertThat(b.experiments().getRun(runId).data().metrics()).containsEntry("m", 2.0);
                assertThat(b.experiments().getRun(runId).info().status()).isEqualTo(RunStatus.RUNNING);
            }
            assertThat(b.experiments().searchRuns(RunQuery.builder("shared").filter("attributes.status = 'FINISHED'").build())
                    .runs()).hasSize(1);
            b.experiments().deleteExperiment("shared");
            assertThat(a.experiments().getExperiment("shared").lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
            assertThat(a.experiments().getRun(runId).info().lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        }
    }

    @Test
    void aBatchConflictingWithAnotherWritersParamIsRefusedTheRestApplies() {
        try (Kiln a = Kiln.open(dir); Kiln b = Kiln.open(dir)) {
            String runId;
            try (Run run = a.experiments().startRun("e")) {
                runId = run.id();
            }
            Run ra = a.experiments().resumeRun(runId);
            Run rb = b.experiments().resumeRun(runId);
            // both think the param is new: a commits first and wins
            ra.logParam("lr", "0.1");
            ra.logMetric("from_a", 1);
            ra.flush();
            rb.logParam("lr", "0.2");
            rb.logMetric("from_b", 1);
            rb.setTag("from_b", "x");
            rb.flush();
            rb.logMetric("later_b", 1);
            rb.flush();
            ra.close();
            rb.close();
        }
        try (Kiln c = Kiln.open(dir)) {
            RunRecord r = c.experiments().getRun(runId(c));
            assertThat(r.data().params()).containsEntry("lr", "0.1");
            assertThat(r.data().metrics()).containsKeys("from_a", "later_b").doesNotContainKey("from_b");
            assertThat(r.data().tags()).doesNotContainKey("from_b");
            assertThat(c.experiments().metricHistory(r.runId(), "from_b")).isEmpty();
        }
    }

    private static String runId(Kiln kiln) {
        return kiln.experiments().searchRuns(RunQuery.builder("e").build()).runs().get(0).runId();
    }

    @Test
    void loggingCommitsInBatchesNotPerPoint() {
        try (Kiln kiln = Kiln.open(dir)) {
            kiln.experiments().createExperiment("batch");
            long before = kiln.lakehouse().table("system.metric_points").latest().version();
            try (Run run = kiln.experiments().startRun("batch")) {
                for (int step = 0; step < 5_000; step++) {
                    run.logMetric("loss", 1.0 / (step + 1), step);
                }
            }
            long after = kiln.lakehouse().table("system.metric_points").latest().version();
            assertThat(after - before).isEqualTo(1);
            assertThat(count(kiln, "SELECT count(*) FROM system.metric_points")).isEqualTo(5_000);
            assertThat(kiln.lakehouse().tables("system")).contains("system.experiments", "system.runs", "system.run_params",
                    "system.run_tags", "system.metric_points", "system.metric_series", "system.run_inputs", "system.experiment_tags");
        }
    }

    @Test
    void commitsStartedInTheBackgroundByFullBuffersLoseAndDoubleNothing() {
        String runId;
        long commits;
        try (Kiln kiln = Kiln.open(dir)) {
            kiln.experiments().createExperiment("bulk");
            long before = kiln.lakehouse().table("system.metric_points").latest().version();
            // 450,000 points in one run: the buffer fills at least twice while logging, so commits run beside the logger
            try (Run run = kiln.experiments().startRun("bulk")) {
                runId = run.id();
                for (int step = 0; step < 45_000; step++) {
                    for (int m = 0; m < 10; m++) {
                        run.logMetric("m" + m, step + m / 10.0, step);
                    }
                }
            }
            commits = kiln.lakehouse().table("system.metric_points").latest().version() - before;
        }
        assertThat(commits).isBetween(2L, 3L);
        try (Kiln kiln = Kiln.open(dir)) {
            assertThat(count(kiln, "SELECT count(*) FROM system.metric_points")).isEqualTo(450_000);
            assertThat(count(kiln, "SELECT count(*) FROM (SELECT DISTINCT key, step FROM system.metric_points)")).isEqualTo(450_000);
            assertThat(kiln.experiments().metricHistory(runId, "m9")).hasSize(45_000);
            assertThat(kiln.experiments().getRun(runId).data().metrics()).containsEntry("m9", 44_999.9);
        }
    }

    @Test
    void seriesRowsWrittenTwiceByARetriedCommitDoubleNoPoint() {
        String runId;
        try (Kiln kiln = Kiln.open(dir)) {
            runId = runLoggingLoss(kiln, "retried", 10);
            // what a commit retried after its series rows had landed leaves behind: the same rows again
            kiln.lakehouse().table("system.metric_series").append(dev.kiln.lakehouse.WriteSource.query("SELECT * FROM system.metric_series"));
            assertThat(count(kiln, "SELECT count(*) FROM system.metric_series")).isEqualTo(2);
        }
        try (Kiln kiln = Kiln.open(dir)) {
            List<MetricPoint> history = kiln.experiments().metricHistory(runId, "loss");
            assertThat(history).extracting(MetricPoint::step).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(kiln.experiments().getRun(runId).data().metrics()).containsEntry("loss", 0.1);
            assertThat(kiln.experiments().searchRuns(RunQuery.builder("retried").filter("metrics.loss < 0.2").build()).runs())
                    .extracting(RunRecord::runId).containsExactly(runId);
        }
    }

    /** A finished run of the experiment that logged {@code loss} = 1 / (step + 1) for each step. */
    private static String runLoggingLoss(Kiln kiln, String experiment, int steps) {
        try (Run run = kiln.experiments().startRun(experiment)) {
            for (int step = 0; step < steps; step++) {
                run.logMetric("loss", 1.0 / (step + 1), step);
            }
            return run.id();
        }
    }

    /** Writes the workspace's metric points as earlier builds kept them: one table, every point with its ids. */
    private static void legacyMetrics(Kiln kiln) {
        kiln.lakehouse().createTable(dev.kiln.lakehouse.TableDefinition.builder("system.metrics").schema("run_id STRING, "
                + "experiment_id STRING, key STRING, value DOUBLE, step BIGINT, timestamp BIGINT, batch_id STRING").build())
                .append(dev.kiln.lakehouse.WriteSource.query("SELECT s.run_id, s.experiment_id, m.key, m.value, m.step, m.timestamp, "
                        + "s.batch_id FROM system.metric_points AS m JOIN system.metric_series AS s USING (series)"));
    }

    @Test
    void metricsInTheLayoutOfEarlierBuildsAreMovedOnceWhenTheWorkspaceOpens() {
        String runId;
        try (Kiln kiln = Kiln.open(dir)) {
            runId = runLoggingLoss(kiln, "legacy", 5);
            legacyMetrics(kiln);
            kiln.lakehouse().table("system.metric_points").delete("true");
            kiln.lakehouse().table("system.metric_series").delete("true");
        }
        for (int open = 0; open < 3; open++) {
            if (open == 2) {
                // as left by a process stopped after moving the points but before dropping the old table
                try (Kiln kiln = Kiln.open(dir)) {
                    legacyMetrics(kiln);
                }
            }
            try (Kiln kiln = Kiln.open(dir)) {
                assertThat(kiln.experiments().metricHistory(runId, "loss")).extracting(MetricPoint::step).containsExactly(0L, 1L, 2L, 3L, 4L);
                assertThat(kiln.experiments().getRun(runId).data().metrics()).containsEntry("loss", 0.2);
                assertThat(kiln.lakehouse().tableExists("system.metrics")).isFalse();
                assertThat(count(kiln, "SELECT count(*) FROM system.metric_points")).isEqualTo(5);
            }
        }
    }

    @Test
    void closingTheWorkspaceCommitsWhatIsBuffered() {
        String runId;
        try (Kiln kiln = Kiln.open(dir)) {
            Run run = kiln.experiments().startRun("open");
            runId = run.id();
            run.logMetric("m", 7);
            run.logParam("p", "v");
            // neither ended nor flushed
        }
        try (Kiln kiln = Kiln.open(dir)) {
            RunRecord r = kiln.experiments().getRun(runId);
            assertThat(r.info().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(r.data().metrics()).containsEntry("m", 7.0);
            assertThat(r.data().params()).containsEntry("p", "v");
        }
    }
}
