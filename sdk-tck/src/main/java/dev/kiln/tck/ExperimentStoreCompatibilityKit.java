package dev.kiln.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.AlreadyExistsException;
import dev.kiln.InvalidArgumentException;
import dev.kiln.NotFoundException;
import dev.kiln.experiments.ArtifactInfo;
import dev.kiln.experiments.DatasetInput;
import dev.kiln.experiments.Experiment;
import dev.kiln.experiments.Experiments;
import dev.kiln.experiments.InvalidFilterException;
import dev.kiln.experiments.LifecycleStage;
import dev.kiln.experiments.MetricPoint;
import dev.kiln.experiments.Run;
import dev.kiln.experiments.RunComparison;
import dev.kiln.experiments.RunInfo;
import dev.kiln.experiments.RunPage;
import dev.kiln.experiments.RunQuery;
import dev.kiln.experiments.RunRecord;
import dev.kiln.experiments.RunSpec;
import dev.kiln.experiments.RunStatus;
import dev.kiln.experiments.ViewType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every experiment-tracking backend must show: MLflow's semantics for experiments,
 * runs, params, metrics, tags, dataset inputs, artifacts, status and search. A backend's test
 * class extends this kit and supplies a fresh, empty tracking service per test.
 *
 * <pre>{@code
 * class DeltaExperimentsTest extends ExperimentStoreCompatibilityKit {
 *     protected Experiments open(Path dir) { return Kiln.open(dir).experiments(); }
 * }
 * }</pre>
 */
public abstract class ExperimentStoreCompatibilityKit {

    /** A fresh folder per test. */
    @TempDir
    protected Path workspace;

    /** The tracking service under test. */
    protected Experiments experiments;

    /** Creates the kit. */
    protected ExperimentStoreCompatibilityKit() {
    }

    /**
     * Opens an empty tracking service keeping its files in a folder.
     *
     * @param dir an empty folder
     * @return the tracking service
     */
    protected abstract Experiments open(Path dir);

    /**
     * Releases a tracking service opened by {@link #open(Path)}; by default closes it if it is
     * {@link AutoCloseable}.
     *
     * @param service the service
     * @throws Exception if closing fails
     */
    protected void close(Experiments service) throws Exception {
        if (service instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** Opens the service. */
    @BeforeEach
    public void openService() {
        experiments = open(workspace);
    }

    /**
     * Closes the service.
     *
     * @throws Exception if closing fails
     */
    @AfterEach
    public void closeService() throws Exception {
        close(experiments);
    }

    // ------------------------------------------------------------------ experiments

    @Test
    public void createsAndFindsExperimentsByNameAndId() {
        Experiment e = experiments.createExperiment("churn", Map.of("team", "risk"));
        assertThat(e.name()).isEqualTo("churn");
        assertThat(e.lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(e.tags()).containsEntry("team", "risk");
        assertThat(e.experimentId()).isNotBlank();
        assertThat(e.creationTime()).isPositive();
        assertThat(experiments.getExperiment("churn")).isEqualTo(e);
        assertThat(experiments.getExperiment(e.experimentId())).isEqualTo(e);
        assertThat(experiments.findExperiment("nope")).isEmpty();
        assertThatThrownBy(() -> experiments.getExperiment("nope")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("nope");
    }

    @Test
    public void experimentNamesAreUnique() {
        experiments.createExperiment("churn");
        assertThatThrownBy(() -> experiments.createExperiment("churn")).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> experiments.createExperiment(" ")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    public void listsDeletesAndRestoresExperiments() {
        experiments.createExperiment("b");
        experiments.createExperiment("a");
        assertThat(experiments.listExperiments()).extracting(Experiment::name).containsExactly("a", "b");
        experiments.deleteExperiment("a");
        assertThat(experiments.listExperiments()).extracting(Experiment::name).containsExactly("b");
        assertThat(experiments.listExperiments(ViewType.DELETED_ONLY)).extracting(Experiment::name).containsExactly("a");
        assertThat(experiments.listExperiments(ViewType.ALL)).hasSize(2);
        assertThat(experiments.getExperiment("a").lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        assertThatThrownBy(() -> experiments.createExperiment("a")).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> experiments.getOrCreateExperiment("a")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> experiments.startRun("a")).isInstanceOf(InvalidArgumentException.class);
        experiments.restoreExperiment("a");
        assertThat(experiments.listExperiments()).hasSize(2);
        assertThatThrownBy(() -> experiments.deleteExperiment("zzz")).isInstanceOf(NotFoundException.class);
    }

    @Test
    public void deletingAnExperimentHidesItsRuns() {
        String id = experiments.run("e", run -> { }).runId();
        experiments.deleteExperiment("e");
        assertThat(experiments.getRun(id).info().lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        experiments.restoreExperiment("e");
        assertThat(experiments.getRun(id).info().lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
    }

    @Test
    public void experimentTags() {
        experiments.createExperiment("e");
        experiments.setExperimentTag("e", "owner", "alice");
        experiments.setExperimentTag("e", "owner", "bob");
        assertThat(experiments.getExperiment("e").tags()).containsEntry("owner", "bob");
        assertThatThrownBy(() -> experiments.setExperimentTag("zzz", "k", "v")).isInstanceOf(NotFoundException.class);
    }

    @Test
    public void getOrCreateIsIdempotentUnderConcurrency() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Experiment>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                futures.add(pool.submit(() -> experiments.getOrCreateExperiment("shared")));
            }
            Set<String> ids = new HashSet<>();
            for (Future<Experiment> f : futures) {
                ids.add(f.get(30, TimeUnit.SECONDS).experimentId());
            }
            assertThat(ids).hasSize(1);
            assertThat(experiments.listExperiments()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ run lifecycle

    @Test
    public void tryWithResourcesEndsTheRunFinished() {
        String id;
        try (Run run = experiments.startRun("e")) {
            id = run.id();
            assertThat(id).matches("[0-9a-f]{32}");
            RunInfo info = run.info();
            assertThat(info.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(info.endTime()).isNull();
            assertThat(info.runName()).isNotBlank();
            assertThat(info.userId()).isNotBlank();
            assertThat(info.experimentId()).isEqualTo(experiments.getExperiment("e").experimentId());
        }
        RunInfo ended = experiments.getRun(id).info();
        assertThat(ended.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(ended.endTime()).isNotNull().isGreaterThanOrEqualTo(ended.startTime());
    }

    @Test
    public void runHelperMarksFailedAndRethrows() {
        IllegalStateException boom = new IllegalStateException("boom");
        String[] id = new String[1];
        assertThatThrownBy(() -> experiments.run("e", run -> {
            id[0] = run.id();
            run.logMetric("m", 1);
            throw boom;
        })).isSameAs(boom);
        RunRecord r = experiments.getRun(id[0]);
        assertThat(r.info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.info().endTime()).isNotNull();
        assertThat(r.data().metrics()).containsEntry("m", 1.0);
        assertThat(r.data().tags().get("kiln.error")).contains("boom");
    }

    @Test
    public void runHelperRethrowsCheckedExceptions() {
        IOException io = new IOException("disk");
        assertThatThrownBy(() -> experiments.run("e", run -> {
            throw io;
        })).isSameAs(io);
    }

    @Test
    public void runHelperReturnsTheFinishedInfo() {
        RunInfo info = experiments.run(RunSpec.builder("e").name("first").tag("k", "v").build(), run -> run.logParam("p", "1"));
        assertThat(info.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(info.runName()).isEqualTo("first");
        RunRecord r = experiments.getRun(info.runId());
        assertThat(r.data().tags()).containsEntry("k", "v").containsEntry("mlflow.runName", "first");
        assertThat(r.data().params()).containsEntry("p", "1");
    }

    @Test
    public void failThenCloseEndsFailed() {
        Run run = experiments.startRun("e");
        run.fail(new RuntimeException("bad"));
        run.close();
        run.close();
        assertThat(experiments.getRun(run.id()).info().status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    public void explicitEndAndExternalStatus() {
        Run a = experiments.startRun("e");
        a.end(RunStatus.KILLED);
        a.close();
        assertThat(experiments.getRun(a.id()).info().status()).isEqualTo(RunStatus.KILLED);
        assertThatThrownBy(() -> a.logMetric("m", 1)).isInstanceOf(InvalidArgumentException.class);
        Run b = experiments.startRun("e");
        experiments.setRunStatus(b.id(), RunStatus.KILLED);
        assertThat(experiments.getRun(b.id()).info().status()).isEqualTo(RunStatus.KILLED);
        assertThatThrownBy(() -> b.end(RunStatus.RUNNING)).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    public void scheduledRuns() {
        try (Run run = experiments.startRun(RunSpec.builder("e").status(RunStatus.SCHEDULED).build())) {
            assertThat(run.info().status()).isEqualTo(RunStatus.SCHEDULED);
        }
        assertThatThrownBy(() -> RunSpec.builder("e").status(RunStatus.FINISHED).build())
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    public void resumeRunLogsMoreAndEndsAgain() {
        String id = experiments.run("e", run -> run.logMetric("m", 1, 0)).runId();
        try (Run again = experiments.resumeRun(id)) {
            assertThat(again.info().status()).isEqualTo(RunStatus.RUNNING);
            again.logMetric("m", 2, 1);
            again.logParam("x", "1");
        }
        RunRecord r = experiments.getRun(id);
        assertThat(r.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(r.data().metrics()).containsEntry("m", 2.0);
        assertThatThrownBy(() -> experiments.resumeRun("0".repeat(32))).isInstanceOf(NotFoundException.class);
    }

    @Test
    public void nestedRuns() {
        try (Run parent = experiments.startRun("hpo")) {
            String childId;
            try (Run child = parent.startNestedRun("trial-1")) {
                childId = child.id();
            }
            RunRecord child = experiments.getRun(childId);
            assertThat(child.info().parentRunId()).isEqualTo(parent.id());
            assertThat(child.info().runName()).isEqualTo("trial-1");
            assertThat(child.data().tags()).containsEntry("mlflow.parentRunId", parent.id());
            try (Run other = experiments.startRun(RunSpec.builder("hpo").parent(parent.id()).build())) {
                assertThat(other.info().parentRunId()).isEqualTo(parent.id());
            }
            RunPage children = experiments.searchRuns(RunQuery.builder("hpo")
                    .filter("tags.mlflow.parentRunId = '" + parent.id() + "'").build());
            assertThat(children.runs()).hasSize(2);
        }
        assertThatThrownBy(() -> experiments.startRun(RunSpec.builder("hpo").parent("f".repeat(32)).build()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    public void getRunOfUnknownIdIsNotFound() {
        assertThatThrownBy(() -> experiments.getRun("0".repeat(32))).isInstanceOf(NotFoundException.class);
    }

    // ------------------------------------------------------------------ params, metrics, tags, inputs

    @Test
    public void paramsAreImmutable() {
        try (Run run = experiments.startRun("e")) {
            run.logParam("max_depth", "6");
            run.logParam("max_depth", "6");
            assertThatThrownBy(() -> run.logParam("max_depth", "7")).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("max_depth");
            run.flush();
            assertThatThrownBy(() -> run.logParams(Map.of("max_depth", "8"))).isInstanceOf(InvalidArgumentException.class);
            run.logParams(Map.of("eta", "0.1", "booster", "gbtree"));
            assertThat(run.record().data().params()).containsOnly(Map.entry("max_depth", "6"),
                    Map.entry("eta", "0.1"), Map.entry("booster", "gbtree"));
        }
    }

    @Test
    public void paramsStayImmutableAfterResume() {
        String id = experiments.run("e", run -> run.logParam("p", "1")).runId();
        try (Run again = experiments.resumeRun(id)) {
            assertThatThrownBy(() -> again.logParam("p", "2")).isInstanceOf(InvalidArgumentException.class);
        }
    }

    @Test
    public void invalidKeysAndValuesAreRefused() {
        try (Run run = experiments.startRun("e")) {
            assertThatThrownBy(() -> run.logParam("", "1")).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> run.logParam("../x", "1")).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> run.logMetric("a\u0000b", 1)).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> run.setTag("k", null)).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> run.logParam("p", "x".repeat(6001))).isInstanceOf(InvalidArgumentException.class);
            run.logParam("with space/and-dash.dot", "ok");
        }
    }

    @Test
    public void metricsKeepFullHistoryAndLatestValue() {
        String id;
        try (Run run = experiments.startRun("e")) {
            id = run.id();
            run.logMetric("loss", 0.9, 0, 1000);
            run.logMetric("loss", 0.5, 2, 1002);
            run.logMetric("loss", 0.7, 1, 1001);
            run.logMetric("auc", Double.NaN);
            run.logMetrics(Map.of("a", 1.0, "b", 2.0), 5);
        }
        List<MetricPoint> history = experiments.metricHistory(id, "loss");
        assertThat(history).extracting(MetricPoint::step).containsExactly(0L, 1L, 2L);
        assertThat(history).extracting(MetricPoint::value).containsExactly(0.9, 0.7, 0.5);
        assertThat(history).extracting(MetricPoint::timestamp).containsExactly(1000L, 1001L, 1002L);
        Map<String, Double> latest = experiments.getRun(id).data().metrics();
        assertThat(latest.get("loss")).isEqualTo(0.5);
        assertThat(latest.get("auc")).isNaN();
        assertThat(latest).containsEntry("a", 1.0).containsEntry("b", 2.0);
        assertThat(experiments.metricHistory(id, "never")).isEmpty();
        assertThat(experiments.metricHistory(id, "a")).singleElement().extracting(MetricPoint::step).isEqualTo(5L);
    }

    @Test
    public void latestIsByStepThenTimestamp() {
        String id = experiments.run("e", run -> {
            run.logMetric("m", 5, 3, 100);
            run.logMetric("m", 1, 3, 200);
            run.logMetric("m", 9, 2, 300);
        }).runId();
        assertThat(experiments.getRun(id).data().metrics()).containsEntry("m", 1.0);
    }

    @Test
    public void manyPointsSurviveClose() {
        String id = experiments.run("e", run -> {
            for (int step = 0; step < 2500; step++) {
                run.logMetric("loss", 1.0 / (step + 1), step);
            }
        }).runId();
        List<MetricPoint> history = experiments.metricHistory(id, "loss");
        assertThat(history).hasSize(2500);
        assertThat(history.get(2499).value()).isCloseTo(1.0 / 2500, within(1e-12));
    }

    @Test
    public void tagsAreMutableAndDeletable() {
        try (Run run = experiments.startRun("e")) {
            run.setTag("stage", "dev");
            run.setTag("stage", "prod");
            run.setTags(Map.of("a", "1"));
            assertThat(run.record().data().tags()).containsEntry("stage", "prod").containsEntry("a", "1");
            run.deleteTag("a");
            assertThat(run.record().data().tags()).doesNotContainKey("a");
            assertThatThrownBy(() -> run.deleteTag("a")).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    public void systemTags() {
        String id = experiments.run(RunSpec.builder("e").name("n").build(), run -> { }).runId();
        assertThat(experiments.getRun(id).data().tags()).containsKeys("mlflow.user").containsEntry("mlflow.runName", "n");
    }

    @Test
    public void datasetInputs() {
        String id = experiments.run("e", run -> {
            run.logInput(DatasetInput.of("sales.orders", 3, DatasetInput.TRAIN));
            run.logInput(DatasetInput.of("sales.holdout", 1, DatasetInput.EVAL));
            run.logInput(DatasetInput.of("sales.orders", 3, DatasetInput.TRAIN));
        }).runId();
        List<DatasetInput> inputs = experiments.getRun(id).inputs();
        assertThat(inputs).extracting(DatasetInput::name).containsExactly("sales.orders", "sales.holdout");
        assertThat(inputs.get(0).version()).isEqualTo(3);
        assertThat(inputs.get(0).context()).isEqualTo("train");
    }

    @Test
    public void bufferedValuesAreVisibleToReadsInTheSameProcess() {
        try (Run run = experiments.startRun("e")) {
            run.logMetric("m", 3);
            run.logParam("p", "x");
            assertThat(experiments.getRun(run.id()).data().metrics()).containsEntry("m", 3.0);
            assertThat(experiments.searchRuns(RunQuery.builder("e").filter("params.p = 'x'").build()).runs()).hasSize(1);
        }
    }

    @Test
    public void concurrentRunsInOneExperimentLoseNothing() throws Exception {
        experiments.getOrCreateExperiment("par");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<List<String>>> jobs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                jobs.add(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int r = 0; r < 10; r++) {
                        ids.add(experiments.run("par", run -> {
                            run.logParam("thread", Integer.toString(thread));
                            for (int step = 0; step < 100; step++) {
                                run.logMetric("loss", step, step);
                            }
                        }).runId());
                    }
                    return ids;
                });
            }
            Set<String> all = new HashSet<>();
            for (Future<List<String>> f : pool.invokeAll(jobs)) {
                all.addAll(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(all).hasSize(40);
            for (String id : all) {
                assertThat(experiments.metricHistory(id, "loss")).hasSize(100);
            }
            assertThat(experiments.searchRuns(RunQuery.builder("par").build()).runs()).hasSize(40);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void concurrentLoggingToOneRunLosesNothing() throws Exception {
        try (Run run = experiments.startRun("e")) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<Void>> jobs = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    String key = "m" + t;
                    jobs.add(() -> {
                        for (int step = 0; step < 1500; step++) {
                            run.logMetric(key, step, step);
                        }
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(jobs)) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            run.flush();
            for (int t = 0; t < 4; t++) {
                assertThat(experiments.metricHistory(run.id(), "m" + t)).hasSize(1500);
            }
        }
    }

    // ------------------------------------------------------------------ artifacts

    @Test
    public void artifactsAreWrittenListedAndReadBack() throws IOException {
        Path local = Files.writeString(workspace.resolve("notes.txt"), "hello");
        Path dir = Files.createDirectories(workspace.resolve("model-out"));
        Files.writeString(dir.resolve("model.json"), "{}");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/extra.bin"), "12345");
        String id;
        try (Run run = experiments.startRun("e")) {
            id = run.id();
            run.logArtifact(local, "");
            run.logArtifacts(dir, "model");
            run.logText("reports/summary.md", "# ok");
            run.logBytes("raw.bin", new byte[] {1, 2, 3});
            assertThat(run.listArtifacts("")).extracting(ArtifactInfo::path)
                    .containsExactly("model", "notes.txt", "raw.bin", "reports");
        }
        List<ArtifactInfo> root = experiments.listArtifacts(id, "");
        assertThat(root).filteredOn(ArtifactInfo::isDir).extracting(ArtifactInfo::path).containsExactly("model", "reports");
        assertThat(root).filteredOn(a -> a.path().equals("raw.bin")).singleElement()
                .extracting(ArtifactInfo::fileSize).isEqualTo(3L);
        assertThat(experiments.listArtifacts(id, "model")).extracting(ArtifactInfo::path)
                .containsExactly("model/model.json", "model/sub");
        assertThat(experiments.listArtifacts(id, "model/sub")).extracting(ArtifactInfo::path)
                .containsExactly("model/sub/extra.bin");
        assertThat(read(id, "notes.txt")).isEqualTo("hello");
        assertThat(read(id, "reports/summary.md")).isEqualTo("# ok");
        assertThat(read(id, "model/sub/extra.bin")).isEqualTo("12345");
        assertThat(experiments.listArtifacts(id, "nothing-here")).isEmpty();
        assertThatThrownBy(() -> experiments.openArtifact(id, "missing.txt")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> experiments.openArtifact(id, "model")).isInstanceOf(NotFoundException.class);
    }

    @Test
    public void artifactPathsCannotEscapeTheRun() {
        try (Run run = experiments.startRun("e")) {
            assertThatThrownBy(() -> run.logText("../escape.txt", "x")).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> run.logText("/abs.txt", "x")).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> run.logText("a/../../b.txt", "x")).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> run.listArtifacts("..")).isInstanceOf(InvalidArgumentException.class);
        }
    }

    private String read(String runId, String path) throws IOException {
        try (InputStream in = experiments.openArtifact(runId, path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ------------------------------------------------------------------ search and compare

    private List<String> seed() {
        List<String> ids = new ArrayList<>();
        double[] aucs = {0.91, 0.75, Double.NaN, 0.85, 0.6};
        String[] depths = {"6", "6", "6", "8", "4"};
        for (int i = 0; i < 5; i++) {
            int n = i;
            ids.add(run(RunSpec.builder("search").name("run-" + i).startTime(1_000 + i).build(), run -> {
                run.logParam("max_depth", depths[n]);
                run.logMetric("auc", aucs[n]);
                run.setTag("team", n % 2 == 0 ? "Risk" : "growth");
                run.logInput(DatasetInput.of("sales.orders", n, DatasetInput.TRAIN));
                if (n == 4) {
                    throw new IllegalStateException("x");
                }
            }, true));
        }
        return ids;
    }

    private static List<String> names(RunPage page) {
        return page.runs().stream().map(r -> r.info().runName()).toList();
    }

    @Test
    public void searchFiltersOrdersAndPages() {
        seed();
        RunPage best = experiments.searchRuns(RunQuery.builder("search")
                .filter("metrics.auc > 0.8 and params.max_depth = '6'").orderBy("metrics.auc DESC").build());
        assertThat(names(best)).containsExactly("run-0");
        assertThat(names(experiments.searchRuns(RunQuery.builder("search").orderBy("metrics.auc DESC").build())))
                .containsExactly("run-0", "run-3", "run-1", "run-4", "run-2");
        assertThat(names(experiments.searchRuns(RunQuery.builder("search").build())))
                .containsExactly("run-4", "run-3", "run-2", "run-1", "run-0");
        assertThat(names(experiments.searchRuns(RunQuery.builder("search").filter("status = 'FAILED'").build())))
                .containsExactly("run-4");
        assertThat(names(experiments.searchRuns(RunQuery.builder("search").filter("params.max_depth IS NULL").build())))
                .isEmpty();
        assertThat(names(experiments.searchRuns(RunQuery.builder("search").filter("tags.team IS NOT NULL").build())))
                .hasSize(5);
        assertThat(names(experiments.searchRuns(RunQuery.builder("search")
                .filter("tags.team ILIKE 'risk' AND (params.max_depth = '4' OR metrics.auc >= 0.9)").build())))
                .containsExactly("run-4", "run-0");
        assertThat(names(experiments.searchRuns(RunQuery.builder("search")
                .filter("datasets.name = 'sales.orders' and datasets.context = 'train'").build()))).hasSize(5);
        assertThat(names(experiments.searchRuns(RunQuery.builder("search").filter("attributes.run_name LIKE 'run-_'")
                .orderBy("params.max_depth DESC", "run_name").build())))
                .containsExactly("run-3", "run-0", "run-1", "run-2", "run-4");

        List<String> paged = new ArrayList<>();
        RunQuery query = RunQuery.builder("search").orderBy("attributes.start_time").maxResults(2).build();
        Optional<String> token = Optional.of("");
        while (token.isPresent()) {
            RunPage page = experiments.searchRuns(query.withPageToken(token.get()));
            assertThat(page.runs().size()).isLessThanOrEqualTo(2);
            paged.addAll(names(page));
            token = page.next();
        }
        assertThat(paged).containsExactly("run-0", "run-1", "run-2", "run-3", "run-4");
    }

    @Test
    public void searchRespectsLifecycle() {
        List<String> ids = seed();
        experiments.deleteRun(ids.get(0));
        assertThat(experiments.searchRuns(RunQuery.builder("search").build()).runs()).hasSize(4);
        assertThat(names(experiments.searchRuns(RunQuery.builder("search").viewType(ViewType.DELETED_ONLY).build())))
                .containsExactly("run-0");
        experiments.restoreRun(ids.get(0));
        assertThat(experiments.searchRuns(RunQuery.builder("search").build()).runs()).hasSize(5);
    }

    @Test
    public void searchAcrossExperimentsByNameOrId() {
        seed();
        experiments.run("other", run -> run.logMetric("auc", 0.99));
        String otherId = experiments.getExperiment("other").experimentId();
        RunPage page = experiments.searchRuns(RunQuery.builder("search", otherId).orderBy("metrics.auc DESC")
                .maxResults(1).build());
        assertThat(page.runs().get(0).data().metrics()).containsEntry("auc", 0.99);
        assertThat(page.hasNextPage()).isTrue();
    }

    @Test
    public void searchErrors() {
        seed();
        assertThatThrownBy(() -> experiments.searchRuns(RunQuery.builder("search").filter("metrics.auc >> 1").build()))
                .isInstanceOf(InvalidFilterException.class)
                .satisfies(e -> assertThat(((InvalidFilterException) e).position()).isEqualTo(12));
        assertThatThrownBy(() -> experiments.searchRuns(RunQuery.builder("search").orderBy("metrics.auc SIDEWAYS").build()))
                .isInstanceOf(InvalidFilterException.class);
        assertThatThrownBy(() -> experiments.searchRuns(RunQuery.builder("nope").build()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> experiments.searchRuns(RunQuery.builder("search").pageToken("garbage").build()))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    public void compareRunsSideBySide() {
        List<String> ids = seed();
        RunComparison c = experiments.compareRuns(List.of(ids.get(0), ids.get(3)));
        assertThat(c.paramKeys()).containsExactly("max_depth");
        assertThat(c.metricKeys()).containsExactly("auc");
        assertThat(c.param("max_depth")).containsExactly(Optional.of("6"), Optional.of("8"));
        assertThat(c.metric("auc")).containsExactly(Optional.of(0.91), Optional.of(0.85));
        assertThat(c.differingParams()).containsExactly("max_depth");
        assertThat(c.paramTable().get("max_depth")).containsEntry(ids.get(3), "8");
        assertThatThrownBy(() -> experiments.compareRuns(List.of("0".repeat(32)))).isInstanceOf(NotFoundException.class);
    }

    /** A run body that may throw; failures are swallowed when {@code tolerate} is set. */
    private interface Body {
        void accept(Run run) throws Exception;
    }

    private String run(RunSpec spec, Body body, boolean tolerate) {
        String[] id = new String[1];
        try {
            experiments.run(spec, run -> {
                id[0] = run.id();
                body.accept(run);
            });
        } catch (Exception e) {
            if (!tolerate) {
                throw new AssertionError(e);
            }
        }
        return id[0];
    }
}
