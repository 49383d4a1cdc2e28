package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.Kiln;
import dev.kiln.experiments.Run;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import dev.kiln.monitoring.MonitorSpec;
import dev.kiln.training.SearchSpace;
import dev.kiln.training.Trainer;
import dev.kiln.training.TrainingData;
import dev.kiln.training.TrainingSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The experiment report in a real browser: headless Chromium (installed by .ci/run) loads the page,
 * the charts must have rendered with data, and a screenshot is kept under target/ as a build artifact.
 */
class ReportInBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    private static String chromium(Path page, String... extra) throws Exception {
        assertThat(CHROMIUM).as("headless Chromium (Debian package 'chromium'; .ci/run installs it)").isExecutable();
        List<String> command = new java.util.ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory("kiln-chromium")));
        command.addAll(List.of(extra));
        command.add(page.toUri().toString());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return out;
    }

    @Test
    void chartsRenderWithDataInHeadlessChromium() throws Exception {
        Path ws = dir.resolve("ws");
        try (Kiln kiln = Kiln.open(ws)) {
            kiln.lakehouse().createSchema("ml");
            kiln.lakehouse().createTable(TableDefinition.builder("ml.d").schema("x1 DOUBLE, x2 DOUBLE, y INT").build())
                    .append(WriteSource.query("SELECT (i % 53) / 53.0 AS x1, ((i * 17) % 41) / 41.0 AS x2, "
                            + "CASE WHEN (i % 53) / 53.0 + ((i * 17) % 41) / 41.0 + ((i * 7) % 10) / 20.0 > 1.2 THEN 1 ELSE 0 END AS y FROM range(1500) r(i)"));
            kiln.experiments().getOrCreateExperiment("rep");
            try (Run parent = kiln.experiments().startRun("rep")) {
                Trainer.find(kiln.lakehouse()).search(parent, TrainingSpec.builder(TrainingData.table("ml.d").label("y").evalFraction(0.25, 3).build())
                        .param("objective", "binary:logistic").param("eval_metric", "auc").rounds(15).build(),
                        SearchSpace.grid(Map.of("max_depth", List.of(2, 4), "eta", List.of(0.1, 0.4))), "eval-auc", true);
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path reportDir = dir.resolve("report");
        int code = KilnCli.run(new String[] {"--workspace", ws.toString(), "report", "--experiment", "rep", "--out", reportDir.toString()},
                new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        Path page = reportDir.resolve("index.html");
        String html = Files.readString(page);
        assertThat(html).doesNotContain("http://", "https://");

        String dom = chromium(page, "--dump-dom");
        Matcher ready = Pattern.compile("data-ready=\"(\\d+)\"").matcher(dom);
        assertThat(ready.find()).as("the page's script ran").isTrue();
        assertThat(Integer.parseInt(ready.group(1))).isGreaterThan(10);
        Matcher lines = Pattern.compile("<polyline[^>]*data-count=\"(\\d+)\"[^>]*points=\"([^\"]+)\"").matcher(dom);
        int curves = 0;
        while (lines.find()) {
            assertThat(lines.group(2).trim().split(" ")).hasSizeGreaterThan(1);
            curves++;
        }
        assertThat(curves).as("metric curves with points").isGreaterThanOrEqualTo(4);
        assertThat(Pattern.compile("<circle[^>]*data-x=").matcher(dom).results().count()).as("parameter scatter points").isGreaterThanOrEqualTo(4);
        assertThat(Pattern.compile("<rect[^>]*data-value=").matcher(dom).results().count()).as("importance bars").isPositive();
        assertThat(dom).contains("data-node=\"table\"", "ml.d v1");

        Path screenshot = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        chromium(page, "--screenshot=" + screenshot, "--window-size=1280,1800");
        assertThat(screenshot).isRegularFile();
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }

    @Test
    void driftReportChartsEachWindowInHeadlessChromium() throws Exception {
        Path ws = dir.resolve("ws");
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        int days = 6;
        try (Kiln kiln = Kiln.open(ws)) {
            kiln.lakehouse().createSchemaIfNotExists("ml");
            kiln.lakehouse().createSchemaIfNotExists("inference");
            java.util.Random random = new java.util.Random(11);
            List<Object[]> train = new java.util.ArrayList<>();
            List<Object[]> served = new java.util.ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                train.add(new Object[] {random.nextGaussian(), random.nextGaussian()});
            }
            for (int day = 0; day < days; day++) {
                for (int i = 0; i < 500; i++) {
                    // x drifts by half a standard deviation a day; z stays put
                    served.add(new Object[] {start.plus(Duration.ofDays(day)).plusSeconds(60L * i), random.nextGaussian() + 0.5 * day,
                        random.nextGaussian(), 0.5});
                }
            }
            kiln.lakehouse().createTable(TableDefinition.builder("ml.train").schema("x DOUBLE, z DOUBLE").build()).append(WriteSource.values(train));
            kiln.lakehouse().createTable(TableDefinition.builder("inference.churn").schema("ts TIMESTAMP, x DOUBLE, z DOUBLE, prediction DOUBLE").build())
                    .append(WriteSource.values(served));
            for (int day = 1; day <= days; day++) {
                kiln.monitoring().run(MonitorSpec.builder("inference.churn", "ml.train@1")
                        .window("ts", Duration.ofDays(1), start.plus(Duration.ofDays(day))).build());
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path reportDir = dir.resolve("drift");
        int code = KilnCli.run(new String[] {"--workspace", ws.toString(), "report", "--monitor", "inference.churn", "--out", reportDir.toString()},
                new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        Path page = reportDir.resolve("index.html");
        assertThat(Files.readString(page)).doesNotContain("http://", "https://");

        String dom = chromium(page, "--dump-dom");
        assertThat(dom).contains("data-ready=");
        Matcher psi = Pattern.compile("<polyline[^>]*data-series=\"(x|z)\"[^>]*data-count=\"(\\d+)\"[^>]*points=\"([^\"]+)\"").matcher(dom);
        java.util.Set<String> charted = new java.util.HashSet<>();
        while (psi.find()) {
            assertThat(Integer.parseInt(psi.group(2))).as("one point per window").isEqualTo(days);
            assertThat(psi.group(3).trim().split(" ")).hasSize(days);
            charted.add(psi.group(1));
        }
        assertThat(charted).containsExactlyInAnyOrder("x", "z");
        String alerts = dom.substring(dom.indexOf("id=\"alerts\""));
        assertThat(alerts).contains("<td>x</td>").doesNotContain("<td>z</td>");

        Result missing = new Result(KilnCli.run(new String[] {"--workspace", ws.toString(), "report", "--monitor", "inference.other", "--out",
                reportDir.toString()}, new PrintWriter(out), new PrintWriter(err)), err.toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("no window for inference.other");
        Path screenshot = Path.of("target", "drift-report-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        chromium(page, "--screenshot=" + screenshot, "--window-size=1280,1400");
        assertThat(screenshot).isRegularFile();
    }

    private record Result(int code, String err) {
    }
}
