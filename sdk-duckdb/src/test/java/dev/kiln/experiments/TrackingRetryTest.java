package dev.kiln.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.Kiln;
import dev.kiln.lakehouse.Rows;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracking store retries a commit whose attempt failed with a storage error only when that
 * attempt did not land: retrying a landed batch would log every point of it twice. A commit that
 * fails keeps its points pending for the next flush.
 */
class TrackingRetryTest {
    @TempDir
    Path dir;

    @Test
    void aBatchIsKnownToHaveLandedByItsIdAndAnUnknownIdHasNot() {
        try (Kiln kiln = Kiln.open(dir)) {
            try (Run run = kiln.experiments().startRun("retry")) {
                run.logMetric("loss", 0.5, 1);
            }
            String committed;
            String runId;
            try (Rows rows = kiln.lakehouse().sql("SELECT batch_id, run_id FROM system.metric_series LIMIT 1")) {
                assertThat(rows.next()).isTrue();
                committed = (String) rows.get(0);
                runId = (String) rows.get(1);
            }
            try (DeltaTrackingStore store = new DeltaTrackingStore(kiln.lakehouse())) {
                assertThat(store.landed(DeltaTrackingStore.T.METRICS, List.<Object[]>of(new Object[] {runId, "e", "loss", 0.5, 1L, 0L, committed})))
                        .isTrue();
                assertThat(store.landed(DeltaTrackingStore.T.METRICS, List.<Object[]>of(new Object[] {runId, "e", "loss", 0.5, 1L, 0L, "not-yet"})))
                        .isFalse();
                assertThat(store.landed(DeltaTrackingStore.T.METRICS, List.<Object[]>of(new Object[] {"other", "e", "loss", 0.5, 1L, 0L, committed})))
                        .isFalse();
                assertThat(store.landed(DeltaTrackingStore.T.RUNS, List.<Object[]>of(new Object[] {"r", committed}))).isFalse();
            }
        }
    }
    @Test
    void pointsOfAFailedCommitStayPendingAndLandOnceWithTheNextFlush() {
        try (Kiln kiln = Kiln.open(dir)) {
            Run run = kiln.experiments().startRun("failing");
            for (int step = 0; step < 100; step++) {
                run.logMetric("loss", step, step);
            }
            // the points table disappears under the store: its commit fails after the series rows landed
            kiln.lakehouse().dropTable("system.metric_points");
            assertThatThrownBy(run::flush).isInstanceOf(dev.kiln.KilnException.class);
            kiln.lakehouse().createTable(dev.kiln.lakehouse.TableDefinition.builder("system.metric_points")
                    .schema(DeltaTrackingStore.T.METRICS.ddl).build());
            for (int step = 100; step < 150; step++) {
                run.logMetric("loss", step, step);
            }
            run.close();
            assertThat(kiln.experiments().metricHistory(run.id(), "loss")).extracting(MetricPoint::step)
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 150).boxed().toList());
        }
    }
}
