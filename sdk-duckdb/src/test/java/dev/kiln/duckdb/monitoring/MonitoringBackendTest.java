package dev.kiln.duckdb.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import dev.kiln.monitoring.Alert;
import dev.kiln.monitoring.ColumnProfile;
import dev.kiln.monitoring.CoreMonitoring;
import dev.kiln.monitoring.DataProfiler;
import dev.kiln.monitoring.InferenceLogger;
import dev.kiln.monitoring.Monitor;
import dev.kiln.monitoring.MonitorResult;
import dev.kiln.monitoring.MonitorSpec;
import dev.kiln.monitoring.TableProfile;
import dev.kiln.monitoring.Threshold;
import dev.kiln.predict.Feature;
import dev.kiln.predict.FeatureType;
import dev.kiln.predict.Predictor;
import dev.kiln.predict.Signature;
import dev.kiln.tck.models.ScalarPredictor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitoringBackendTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;
    Kiln kiln;
    Lakehouse lh;

    @BeforeEach
    void open() {
        kiln = Kiln.builder().root(dir).principal(Principal.of("alice")).open();
        lh = kiln.lakehouse();
        lh.createSchemaIfNotExists("ml");
    }

    @AfterEach
    void close() {
        kiln.close();
    }

    /** Training set: x ~ N(0,1), c in a/b/c, label. */
    private void baseline() {
        Table t = lh.createTable(TableDefinition.builder("ml.train").schema("x DOUBLE, c STRING, label DOUBLE").build());
        Random r = new Random(1);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            rows.add(new Object[] {r.nextGaussian(), i % 2 == 0 ? "a" : i % 3 == 0 ? "b" : "c", (double) (i % 2)});
        }
        t.append(WriteSource.values(rows));
    }

    /** Inference log: yesterday like the baseline, the last day shifted in x and c. */
    private void inference() {
        Table t = lh.createTable(TableDefinition.builder("ml.scored")
                .schema("ts TIMESTAMP, request_id STRING, x DOUBLE, c STRING, prediction DOUBLE, label DOUBLE").build());
        Random r = new Random(2);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            boolean today = i >= 1000;
            Instant ts = NOW.minus(Duration.ofHours(today ? 1 : 25)).plusSeconds(i % 1000);
            double x = r.nextGaussian() + (today ? 1.0 : 0);
            String c = today ? (i % 5 == 0 ? "a" : "d") : i % 2 == 0 ? "a" : i % 3 == 0 ? "b" : "c";
            double y = r.nextInt(2);
            double p = Math.min(0.99, Math.max(0.01, 0.5 + (y - 0.5) * 0.6 + (r.nextDouble() - 0.5)));
            rows.add(new Object[] {ts, "r" + i, i % 100 == 0 ? null : x, c, p, i % 4 == 0 ? null : y});
        }
        t.append(WriteSource.values(rows));
    }

    @Test
    void profileReportsNullsRangesAndFreshness() {
        inference();
        TableProfile p = new DataProfiler(lh, CLOCK).profile("ml.scored", null);
        assertThat(p.rows()).isEqualTo(2000);
        assertThat(p.timeColumn()).isEqualTo("ts");
        Instant newest = NOW.minus(Duration.ofHours(1)).plusSeconds(999);
        assertThat(p.newestEvent()).isEqualTo(newest);
        assertThat(p.freshness()).isEqualTo(Duration.between(newest, NOW));
        ColumnProfile x = p.columns().stream().filter(c -> c.column().equals("x")).findFirst().orElseThrow();
        assertThat(x.nulls()).isEqualTo(20);
        assertThat(x.nullRate()).isEqualTo(0.01);
        assertThat(x.mean()).isCloseTo(0.5, within(0.1));
        ColumnProfile label = p.columns().stream().filter(c -> c.column().equals("label")).findFirst().orElseThrow();
        assertThat(label.nulls()).isEqualTo(500);
        assertThat(label.min()).isEqualTo("0.0");
        assertThat(label.max()).isEqualTo("1.0");
        ColumnProfile c = p.columns().stream().filter(k -> k.column().equals("c")).findFirst().orElseThrow();
        assertThat(c.distinct()).isEqualTo(4); // a b c, then a d
        // A past version profiles too.
        assertThat(new DataProfiler(lh, CLOCK).profile("ml.scored@0", null).rows()).isZero();
    }

    @Test
    void monitorDetectsShiftOnlyInTheShiftedWindowAndWritesMetrics() {
        baseline();
        inference();
        Monitor monitor = new Monitor(lh, CLOCK);
        List<Alert> alerts = new ArrayList<>();
        monitor.addListener(alerts::add);

        MonitorResult yesterday = monitor.run(MonitorSpec.builder("ml.scored", "ml.train")
                .window("ts", Duration.ofDays(1), NOW.minus(Duration.ofDays(1))).build());
        assertThat(yesterday.rows()).isEqualTo(1000);
        assertThat(yesterday.value("x", "psi")).isLessThan(0.05);
        assertThat(yesterday.value("c", "psi")).isLessThan(0.05);
        assertThat(yesterday.alerts()).isEmpty();
        assertThat(alerts).isEmpty();

        MonitorResult today = monitor.run(MonitorSpec.builder("ml.scored", "ml.train@1")
                .window("ts", Duration.ofDays(1), null).threshold(Threshold.below("auc", 0.99).forFeature("prediction"))
                .build());
        assertThat(today.rows()).isEqualTo(1000);
        assertThat(today.value("x", "psi")).isGreaterThan(0.2);
        assertThat(today.value("x", "ks_pvalue")).isLessThan(1e-6);
        assertThat(today.value("x", "null_rate")).isEqualTo(0.01);
        assertThat(today.value("c", "freq:d")).isCloseTo(0.8, within(1e-9));
        assertThat(today.value("prediction", "auc")).isBetween(0.85, 0.98);
        assertThat(today.value("prediction", "labelled")).isEqualTo(750);
        assertThat(today.value("prediction", "mean")).isBetween(0.3, 0.7);
        assertThat(alerts).extracting(a -> a.feature() + "/" + a.statistic())
                .contains("x/psi", "c/psi", "c/js", "prediction/auc");
        assertThat(today.alerts()).hasSameSizeAs(alerts);

        // Both runs are in the metrics table, queryable over time.
        try (Rows rows = lh.sql("SELECT window_end, value, alert FROM monitoring.metrics"
                + " WHERE feature = 'x' AND statistic = 'psi' ORDER BY window_end")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.get(0)).isEqualTo(NOW.minus(Duration.ofDays(1)));
            assertThat(rows.get(2)).isEqualTo(false);
            assertThat(rows.next()).isTrue();
            assertThat(rows.get(0)).isEqualTo(NOW);
            assertThat(rows.getDouble(1)).isEqualTo(today.value("x", "psi"));
            assertThat(rows.get(2)).isEqualTo(true);
            assertThat(rows.next()).isFalse();
        }
        try (Rows rows = lh.sql("SELECT count(*) FROM monitoring.metrics")) {
            rows.next();
            assertThat(((Number) rows.get(0)).longValue())
                    .isEqualTo(yesterday.metrics().size() + today.metrics().size());
        }
    }

    @Test
    void inferenceLoggerUnderLoadLosesNoPredictionAndCountsDropsExactly() throws Exception {
        List<String> features = List.of("f0", "f1", "f2");
        int threads = 8;
        int perThread = 5_000;
        try (InferenceLogger logger = InferenceLogger.builder(lh, "churn-model", 3, features).capacity(2_000)
                .batching(5_000, Duration.ofMillis(50)).open()) {
            CountDownLatch start = new CountDownLatch(1);
            AtomicLong predictions = new AtomicLong();
            AtomicLong queued = new AtomicLong();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        float[] row = {id, i, i % 7 == 0 ? Float.NaN : 0.5f};
                        float p = row[0] * 0.01f + row[1] * 1e-5f; // the "prediction"
                        predictions.incrementAndGet();
                        if (logger.log(row, p, 1_000, id + "-" + i)) {
                            queued.incrementAndGet();
                        }
                    }
                });
                workers.add(w);
                w.start();
            }
            start.countDown();
            for (Thread w : workers) {
                w.join();
            }
            assertThat(predictions.get()).isEqualTo((long) threads * perThread);
            assertThat(logger.flush(Duration.ofMinutes(2))).isTrue();
            assertThat(logger.offered()).isEqualTo((long) threads * perThread);
            assertThat(logger.accepted() + logger.dropped()).isEqualTo(logger.offered());
            assertThat(logger.accepted()).isEqualTo(queued.get());
            assertThat(logger.failed()).isZero();
            assertThat(logger.written()).isEqualTo(logger.accepted());
            try (Rows rows = lh.sql("SELECT count(*), count(DISTINCT request_id), count(f2), min(model_version), "
                    + "min(model_name), min(latency_us) FROM inference.churn_model")) {
                rows.next();
                assertThat(((Number) rows.get(0)).longValue()).isEqualTo(logger.written());
                assertThat(((Number) rows.get(1)).longValue()).isEqualTo(logger.written());
                assertThat(((Number) rows.get(3)).longValue()).isEqualTo(3);
                assertThat(rows.get(4)).isEqualTo("churn-model");
                assertThat(((Number) rows.get(5)).longValue()).isEqualTo(1);
            }
            // NaN features are NULL; every other value arrives exactly.
            try (Rows rows = lh.sql("SELECT count(*) FROM inference.churn_model WHERE (f2 IS NULL) <> "
                    + "(CAST(split_part(request_id, '-', 2) AS INT) % 7 = 0) OR f0 <> CAST(split_part(request_id, '-', 1) AS DOUBLE)"
                    + " OR f1 <> CAST(split_part(request_id, '-', 2) AS DOUBLE) OR ts IS NULL")) {
                rows.next();
                assertThat(((Number) rows.get(0)).longValue()).isZero();
            }
            // Every written row is the one logged: prediction matches the features.
            try (Rows rows = lh.sql("SELECT count(*) FROM inference.churn_model WHERE "
                    + "abs(prediction - CAST(CAST(f0 AS FLOAT) * 0.01::FLOAT + CAST(f1 AS FLOAT) * 0.00001::FLOAT AS DOUBLE)) > 1e-6")) {
                rows.next();
                assertThat(((Number) rows.get(0)).longValue()).isZero();
            }
        }
    }

    /**
     * A linear scorer over three features (kiln-xgboost is not on this module's test class path);
     * it throws for a row whose first feature is negative, as a model fed a bad row might.
     */
    static final class Linear extends ScalarPredictor {
        @Override
        public Signature signature() {
            List<Feature> f = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                f.add(new Feature(i, "f" + i, FeatureType.NUMERIC, List.of()));
            }
            return new Signature(f, 1, 1, "reg:squarederror", "gbtree", 1, -1);
        }

        @Override
        public float predict(float[] row) {
            if (row[0] < 0) {
                throw new IllegalArgumentException("negative f0");
            }
            return row[0] * 0.01f + row[1] * 1e-5f;
        }
    }

    @Test
    void scoringThreadsFloodingTheLoggerGetEveryPredictionAndEveryRowIsWrittenOrCountedDropped() throws Exception {
        Predictor model = new Linear();
        int threads = 8;
        int perThread = 20_000;
        // a small buffer and a writer resting 99% of the time: most rows overflow and must be counted
        try (InferenceLogger logger = InferenceLogger.builder(lh, "flooded", 1, List.of("f0", "f1", "f2")).capacity(4_000)
                .batching(1_000, Duration.ofMillis(20)).writerShare(0.01).open()) {
            CountDownLatch start = new CountDownLatch(1);
            AtomicLong wrong = new AtomicLong();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    float[] row = new float[3];
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        row[0] = id;
                        row[1] = i;
                        row[2] = i % 7 == 0 ? Float.NaN : 0.5f;
                        float expected = id * 0.01f + i * 1e-5f;
                        if (logger.predict(model, row, id + "-" + i) != expected) {
                            wrong.incrementAndGet();
                        }
                    }
                });
                workers.add(w);
                w.start();
            }
            start.countDown();
            for (Thread w : workers) {
                w.join();
            }
            assertThat(wrong.get()).as("every call returns its own prediction").isZero();
            assertThat(logger.flush(Duration.ofMinutes(2))).isTrue();
            long offered = (long) threads * perThread;
            assertThat(logger.offered()).isEqualTo(offered);
            assertThat(logger.dropped()).as("the flood overflowed the buffer").isPositive();
            assertThat(logger.failed()).isZero();
            assertThat(logger.written()).isEqualTo(logger.accepted());
            try (Rows rows = lh.sql("SELECT count(*), count(DISTINCT request_id), min(latency_us) FROM inference.flooded")) {
                rows.next();
                long inTable = ((Number) rows.get(0)).longValue();
                assertThat(inTable + logger.dropped()).as("written rows + dropped rows = offered rows").isEqualTo(offered);
                assertThat(((Number) rows.get(1)).longValue()).isEqualTo(inTable);
                assertThat(((Number) rows.get(2)).longValue()).isNotNegative();
            }
            // every row in the table is the one scored: features, NULL for NaN, and its own prediction
            try (Rows rows = lh.sql("SELECT count(*) FROM inference.flooded WHERE f0 <> CAST(split_part(request_id, '-', 1) AS DOUBLE)"
                    + " OR f1 <> CAST(split_part(request_id, '-', 2) AS DOUBLE)"
                    + " OR (f2 IS NULL) <> (CAST(split_part(request_id, '-', 2) AS INT) % 7 = 0)"
                    + " OR abs(prediction - CAST(CAST(f0 AS FLOAT) * 0.01::FLOAT + CAST(f1 AS FLOAT) * 0.00001::FLOAT AS DOUBLE)) > 1e-6"
                    + " OR ts IS NULL OR abs(epoch(ts) - epoch(now())) > 600")) {
                rows.next();
                assertThat(((Number) rows.get(0)).longValue()).isZero();
            }
        }
    }

    @Test
    void closingWhileThreadsLogLeavesNoRowUncounted() throws Exception {
        InferenceLogger logger = InferenceLogger.builder(lh, "closing", 1, List.of("a")).capacity(1_000)
                .batching(500, Duration.ofMillis(5)).writerShare(1).open();
        AtomicLong calls = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread w = new Thread(() -> {
                for (int i = 0; i < 200_000; i++) {
                    logger.log(new float[] {i}, i, 0, null);
                    calls.incrementAndGet();
                }
            });
            workers.add(w);
            w.start();
        }
        Thread.sleep(100);
        logger.close();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(logger.offered()).isEqualTo(calls.get());
        assertThat(logger.written() + logger.failed()).as("every accepted row was written before the writer stopped")
                .isEqualTo(logger.accepted());
        assertThat(logger.flush(Duration.ofSeconds(1))).isTrue();
        try (Rows rows = lh.sql("SELECT count(*) FROM inference.closing")) {
            rows.next();
            assertThat(((Number) rows.get(0)).longValue()).isEqualTo(logger.written());
        }
    }

    @Test
    void aPredictionThatThrowsIsNotLoggedAndHoldsNoBufferRoom() {
        try (InferenceLogger logger = InferenceLogger.builder(lh, "throws", 1, List.of("f0", "f1", "f2")).capacity(1).open()) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> logger.predict(new Linear(), new float[] {-1, 0, 0}, null))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(logger.predict(new Linear(), new float[] {1, 0, 0}, "ok")).isEqualTo(0.01f);
            assertThat(logger.accepted()).as("the one-row buffer is still free").isEqualTo(1);
            assertThat(logger.offered()).isEqualTo(1);
            assertThat(logger.flush(Duration.ofMinutes(1))).isTrue();
            assertThat(logger.written()).isEqualTo(1);
        }
    }

    @Test
    void aPredictionByKeyLogsTheRowItScoredWithThatRowsScore() {
        lh.createSchemaIfNotExists("fs");
        kiln.features().createTable(dev.kiln.features.FeatureTableDefinition.builder("fs.cust").primaryKeys("id").timestampKey("ts").build(),
                "SELECT i::BIGINT AS id, TIMESTAMP '2026-11-01 00:00:00' AS ts, (i * 100)::DOUBLE AS f0, i::DOUBLE AS f1, 0.0::DOUBLE AS f2 "
                        + "FROM range(5) AS r(i)");
        try (dev.kiln.predict.KeyedPredictor byKey = dev.kiln.features.KeyedPredictors.bind(kiln.features(), new Linear(),
                List.of(dev.kiln.features.FeatureLookup.builder("fs.cust").build()));
                InferenceLogger logger = InferenceLogger.builder(lh, "keyed", 1, List.of("f0", "f1", "f2")).open()) {
            float logged = logger.predict(byKey, Map.of("id", 3L), "k3");
            assertThat(logged).isEqualTo(byKey.predict(Map.of("id", 3L))).isEqualTo(300 * 0.01f + 3 * 1e-5f);
            assertThat(byKey.score(byKey.row(Map.of("id", 3L)))).isEqualTo(logged);
            assertThat(logger.flush(Duration.ofMinutes(1))).isTrue();
        }
        try (Rows rows = lh.sql("SELECT request_id, f0, f1, prediction FROM inference.keyed")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.get(0)).isEqualTo("k3");
            assertThat(rows.getDouble(1)).isEqualTo(300.0);
            assertThat(rows.getDouble(2)).isEqualTo(3.0);
            assertThat((float) rows.getDouble(3)).isEqualTo(300 * 0.01f + 3 * 1e-5f);
            assertThat(rows.next()).isFalse();
        }
    }

    @Test
    void groundTruthFillsLabelsByRequestIdThenTheModelMetricAppears() {
        baseline();
        CoreMonitoring monitoring = new CoreMonitoring(lh, CLOCK);
        try (InferenceLogger logger = monitoring.inferenceLogger("m", 1, List.of("x")).batching(100, Duration.ofMillis(10))
                .open()) {
            for (int i = 0; i < 10; i++) {
                logger.log(new float[] {i}, i / 10.0, 0, "r" + i);
            }
            logger.log(new float[] {0}, 0.5, 0, null);
            assertThat(logger.flush(Duration.ofMinutes(1))).isTrue();
        }
        lh.createTable(TableDefinition.builder("ml.truth").schema("request_id STRING, churned BOOLEAN").build())
                .append(WriteSource.values(List.of(new Object[] {"r1", false}, new Object[] {"r8", true},
                        new Object[] {"r9", true}, new Object[] {"r5", false}, new Object[] {"zz", true})));
        assertThat(monitoring.joinLabels("inference.m", "ml.truth", "request_id", "churned")).isEqualTo(4);
        assertThat(monitoring.joinLabels("inference.m", "ml.truth", "request_id", "churned")).isZero();
        try (Rows rows = lh.sql("SELECT request_id, label FROM inference.m WHERE label IS NOT NULL ORDER BY request_id")) {
            List<String> got = new ArrayList<>();
            while (rows.next()) {
                got.add(rows.get(0) + "=" + rows.get(1));
            }
            assertThat(got).containsExactly("r1=0.0", "r5=0.0", "r8=1.0", "r9=1.0");
        }
        try (Rows rows = lh.sql("SELECT count(*) FROM inference.m")) {
            rows.next();
            assertThat(((Number) rows.get(0)).longValue()).isEqualTo(11);
        }
        MonitorResult r = monitoring.run(MonitorSpec.builder("inference.m", "ml.train").metricsTable(null).build());
        assertThat(r.value("prediction", "labelled")).isEqualTo(4);
        assertThat(r.value("prediction", "auc")).isEqualTo(1.0); // 0.1, 0.5 negatives; 0.8, 0.9 positives
        assertThat(r.value("x", "count")).isEqualTo(11);
        assertThat(r.metricsVersion()).isEqualTo(-1);
    }

    @Test
    void writerPausesWithinItsShareAndFlushEndsThePause() throws Exception {
        // share 0.1%: after a write of at least a millisecond the writer rests a second or more
        try (InferenceLogger logger = InferenceLogger.builder(lh, "paced", 1, List.of("a")).batching(10, Duration.ofMillis(10))
                .writerShare(0.001).open()) {
            for (int i = 0; i < 10; i++) {
                logger.log(new float[] {i}, i, 0, null);
            }
            Thread.sleep(100);
            for (int i = 10; i < 20; i++) {
                logger.log(new float[] {i}, i, 0, null);
            }
            Thread.sleep(300);
            assertThat(logger.written()).as("the writer is resting").isBetween(1L, 10L);
            assertThat(logger.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(logger.written()).isEqualTo(20);
        }
        assertThatThrownBy(() -> InferenceLogger.builder(lh, "paced", 1, List.of("a")).writerShare(0))
                .isInstanceOf(dev.kiln.InvalidArgumentException.class).hasMessageContaining("writer share");
    }

    @Test
    void tinyBufferDropsAndSamplingSkips() throws Exception {
        try (InferenceLogger logger = InferenceLogger.builder(lh, "m", 1, List.of("a")).capacity(1)
                .batching(1, Duration.ofSeconds(10)).open()) {
            int accepted = 0;
            for (int i = 0; i < 1000; i++) {
                accepted += logger.log(new float[] {i}, i, 0, null) ? 1 : 0;
            }
            assertThat(logger.dropped()).isEqualTo(1000 - accepted).isPositive();
            assertThat(logger.flush(Duration.ofMinutes(1))).isTrue();
            assertThat(logger.written()).isEqualTo(accepted);
        }
        try (InferenceLogger logger = InferenceLogger.builder(lh, "m", 1, List.of("a")).sampleRate(0.25).open()) {
            for (int i = 0; i < 4000; i++) {
                logger.log(new float[] {i}, i, 0, null);
            }
            assertThat(logger.sampledOut() + logger.accepted() + logger.dropped()).isEqualTo(4000);
            assertThat(logger.accepted()).isBetween(800L, 1200L);
            assertThat(logger.flush(Duration.ofMinutes(1))).isTrue();
        }
        Set<Long> versions = new HashSet<>();
        try (Rows rows = lh.sql("SELECT DISTINCT model_version FROM inference.m")) {
            while (rows.next()) {
                versions.add(((Number) rows.get(0)).longValue());
            }
        }
        assertThat(versions).containsExactly(1L);
    }
}
