package dev.kiln.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.AlreadyExistsException;
import dev.kiln.InvalidArgumentException;
import dev.kiln.NotFoundException;
import dev.kiln.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core implementation on the in-memory store (the full contract is ExperimentStoreCompatibilityKit). */
class CoreExperimentsTest {

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_000);
    private CoreExperiments experiments;
    private InMemoryTrackingStore store;

    @BeforeEach
    void open() {
        store = new InMemoryTrackingStore();
        experiments = new CoreExperiments(store, dir.resolve("artifacts"), Principal.of("alice"),
                new PageTokens("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8)), clock::incrementAndGet);
    }

    @AfterEach
    void close() {
        experiments.close();
    }

    @Test
    void experimentsByNameAndId() {
        Experiment e = experiments.createExperiment("churn");
        assertThat(experiments.getExperiment(e.experimentId())).isEqualTo(e);
        assertThat(e.artifactLocation()).startsWith("file:").contains("artifacts");
        assertThatThrownBy(() -> experiments.createExperiment("churn")).isInstanceOf(AlreadyExistsException.class);
        assertThat(experiments.getOrCreateExperiment("churn")).isEqualTo(e);
        experiments.deleteExperiment("churn");
        assertThatThrownBy(() -> experiments.createExperiment("churn")).hasMessageContaining("restore");
    }

    @Test
    void runLifecycleAndSystemTags() {
        Run run = experiments.startRun("e");
        RunInfo info = run.info();
        assertThat(info.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(info.userId()).isEqualTo("alice");
        assertThat(info.runName()).matches("[a-z]+-[a-z]+-\\d{3}");
        assertThat(info.artifactUri()).contains(run.id() + "/artifacts");
        run.close();
        RunRecord r = experiments.getRun(run.id());
        assertThat(r.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(r.info().endTime()).isGreaterThan(r.info().startTime());
        assertThat(r.data().tags()).containsEntry("mlflow.user", "alice").containsEntry("mlflow.runName", info.runName());
    }

    @Test
    void runHelperFailsAndRethrowsWithTheErrorTag() {
        String[] id = new String[1];
        IOException io = new IOException("disk full");
        assertThatThrownBy(() -> experiments.run("e", run -> {
            id[0] = run.id();
            throw io;
        })).isSameAs(io);
        RunRecord r = experiments.getRun(id[0]);
        assertThat(r.info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.data().tags()).containsEntry("kiln.error", "java.io.IOException: disk full");
    }

    @Test
    void interruptionEndsKilled() {
        Run run = experiments.startRun("e");
        run.fail(new InterruptedException());
        run.close();
        assertThat(experiments.getRun(run.id()).info().status()).isEqualTo(RunStatus.KILLED);
    }

    @Test
    void loggingIsBufferedUntilFlushOrThreshold() {
        Run run = experiments.startRun("e");
        run.logMetric("m", 1, 0);
        run.logParam("p", "1");
        assertThat(store.run(run.id()).orElseThrow().data().metrics()).isEmpty();
        run.flush();
        assertThat(store.run(run.id()).orElseThrow().data().metrics()).containsEntry("m", 1.0);
        for (int i = 0; i < CoreRun.FLUSH_THRESHOLD; i++) {
            run.logMetric("n", i, i);
        }
        assertThat(store.metricHistory(run.id(), "n")).hasSize(CoreRun.FLUSH_THRESHOLD);
        run.logMetric("n", -1, 5000);
        run.close();
        assertThat(store.metricHistory(run.id(), "n")).hasSize(CoreRun.FLUSH_THRESHOLD + 1);
        assertThat(experiments.getRun(run.id()).data().metrics()).containsEntry("n", -1.0);
    }

    @Test
    void paramConflictIsCaughtBeforeBuffering() {
        try (Run run = experiments.startRun("e")) {
            run.logParam("p", "1");
            assertThatThrownBy(() -> run.logParam("p", "2")).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("immutable");
            assertThatThrownBy(() -> run.logParams(Map.of("q", "1", "p", "3"))).isInstanceOf(InvalidArgumentException.class);
        }
    }

    @Test
    void storeRefusesAParamConflictAtomically() {
        Run run = experiments.startRun("e");
        run.logParam("p", "1");
        run.flush();
        TrackingStore.LogBatch batch = new TrackingStore.LogBatch(List.of(new MetricPoint("m", 1, 0, 1)),
                Map.of("p", "2"), Map.of(), List.of(), List.of());
        assertThatThrownBy(() -> store.logBatch(run.id(), batch)).isInstanceOf(InvalidArgumentException.class);
        assertThat(store.metricHistory(run.id(), "m")).isEmpty();
    }

    @Test
    void loggingAfterEndIsRefused() {
        Run run = experiments.startRun("e");
        run.close();
        assertThatThrownBy(() -> run.logMetric("m", 1)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("resumeRun");
        assertThatThrownBy(() -> run.logParam("p", "1")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> run.setTag("t", "1")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> run.logInput(DatasetInput.of("a.b", 0, "train"))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> run.logText("x.txt", "x")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void searchSeesBufferedValuesAndResolvesNames() {
        Run run = experiments.startRun("e");
        run.logMetric("auc", 0.9);
        RunPage page = experiments.searchRuns(RunQuery.builder("e").filter("metrics.auc > 0.8").build());
        assertThat(page.runs()).extracting(RunRecord::runId).containsExactly(run.id());
        assertThatThrownBy(() -> experiments.searchRuns(RunQuery.builder("missing").build()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void artifactsStayInsideTheRun() throws IOException {
        Run run = experiments.startRun("e");
        run.logText("a/b.txt", "x");
        assertThat(Files.readString(dir.resolve("artifacts").resolve(run.info().experimentId())
                .resolve(run.id()).resolve("artifacts/a/b.txt"))).isEqualTo("x");
        try (InputStream in = experiments.openArtifact(run.id(), "./a/b.txt")) {
            assertThat(in.readAllBytes()).containsExactly('x');
        }
        assertThatThrownBy(() -> run.logText("..", "x")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> run.logText("", "x")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> run.logText("C:/x", "x")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> run.logArtifact(dir.resolve("nope.txt"), "")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void metricHistoryIsOrderedByStepThenTime() {
        String id = experiments.run("e", run -> {
            run.logMetric("m", 3, 2, 10);
            run.logMetric("m", 1, 0, 30);
            run.logMetric("m", 2, 0, 20);
        }).runId();
        assertThat(experiments.metricHistory(id, "m")).extracting(MetricPoint::value).containsExactly(2.0, 1.0, 3.0);
    }

    /** Smoke test of the logging path: buffered calls are cheap. The JMH benchmark is the real measure. */
    @Test
    void bufferedLoggingIsFast() {
        int runs = 100;
        int points = 0;
        long t0 = System.nanoTime();
        List<Run> open = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            Run run = experiments.startRun("bench");
            open.add(run);
            for (int step = 0; step < 100; step++) {
                for (int k = 0; k < 10; k++) {
                    run.logMetric("metric_" + k, step * 0.01, step);
                    points++;
                }
            }
        }
        open.forEach(Run::close);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("logged %d points in %.1f ms: %.0f points/s%n", points, seconds * 1e3, points / seconds);
        assertThat(points / seconds).as("order-of-magnitude guard on shared CI cores").isGreaterThan(10_000);
        assertThat(experiments.metricHistory(open.get(0).id(), "metric_9")).hasSize(100);
    }
}
