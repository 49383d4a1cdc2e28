package dev.kiln.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.Kiln;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load run with {@code wrk} on loopback while {@code @champion} moves between three versions:
 * no request may fail (no non-2xx answer, no socket error), and more than one version must have
 * answered. Two runs, each a few seconds: flat out (throughput), then paced by wrk's Lua
 * {@code delay()} to about a fixed rate (latency percentiles at that rate; Debian's wrk has no
 * {@code -R}, and wrk2 is not packaged). The figures are printed and written to
 * {@code target/wrk-report.txt}; they are reported, not asserted (speed targets live in JMH).
 *
 * <p>wrk must be installed ({@code apt-get install wrk}; {@code .ci/run} does it). Without it this
 * test fails rather than skips: a load test that silently does not run proves nothing.
 */
class WrkLoadTest {
    private static final Pattern SUMMARY = Pattern.compile("KILN (.*)");

    @TempDir
    Path dir;

    @Test
    void noRequestFailsWhileTheAliasMoves() throws Exception {
        Path wrk = findWrk();
        try (Kiln kiln = ServingFixture.create(dir.resolve("ws"), dir.resolve("models"), 3);
                KilnServer server = KilnServer.builder(kiln).model("models:/churn@champion").port(0).start()) {
            String url = "http://127.0.0.1:" + server.port() + "/invocations";
            Path script = dir.resolve("invocations.lua");
            Files.writeString(script, script(0));
            run(wrk, script, url, 2, 16, 4); // warm-up: the JIT compiles the request path

            AtomicBoolean moving = new AtomicBoolean(true);
            AtomicInteger moves = new AtomicInteger();
            Thread mover = new Thread(() -> {
                long version = 1;
                while (moving.get()) {
                    try {
                        Thread.sleep(400);
                        version = version % 3 + 1;
                        kiln.models().setAlias("churn", "champion", version);
                        moves.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "alias-mover");
            mover.start();
            Map<String, Long> flatOut;
            try {
                flatOut = run(wrk, script, url, 2, 16, 5);
            } finally {
                moving.set(false);
                mover.join();
            }
            Path paced = dir.resolve("paced.lua");
            Files.writeString(paced, script(1));
            Map<String, Long> fixedRate = run(wrk, paced, url, 2, 10, 4);

            String metrics = new ServingFixture.Http(server.port()).get("/metrics").body();
            List<String> versionsScored = new ArrayList<>();
            Matcher m = Pattern.compile("kiln_predictions_total\\{model=\"churn\",version=\"(\\d+)\"} (\\d+)").matcher(metrics);
            while (m.find()) {
                versionsScored.add(m.group(1));
            }
            String report = String.format("wrk %s, 1-row JSON POST /invocations on loopback, keep-alive%n"
                    + "flat out  (2 threads, 16 connections, 5 s, alias moved %d times): %,.0f requests/s, p50 %.2f ms, p99 %.2f ms, "
                    + "errors %d%n"
                    + "paced     (2 threads, 10 connections, 1 ms pause each, at most 10,000/s, 4 s): "
                    + "%,.0f requests/s, p50 %.2f ms, p99 %.2f ms, errors %d%n"
                    + "versions that answered: %s%n",
                    wrk, moves.get(), rate(flatOut), flatOut.get("p50_us") / 1e3, flatOut.get("p99_us") / 1e3, errors(flatOut),
                    rate(fixedRate), fixedRate.get("p50_us") / 1e3, fixedRate.get("p99_us") / 1e3, errors(fixedRate), versionsScored);
            System.out.print(report);
            Files.writeString(Path.of("target", "wrk-report.txt"), report);

            assertThat(flatOut.get("requests")).isPositive();
            assertThat(errors(flatOut)).as("failed requests while the alias moved: " + flatOut).isZero();
            assertThat(errors(fixedRate)).as("failed requests at a paced rate: " + fixedRate).isZero();
            assertThat(moves.get()).isGreaterThanOrEqualTo(5);
            assertThat(versionsScored).as("the alias moves were followed during the run").hasSizeGreaterThanOrEqualTo(2);
        }
    }

    private static long errors(Map<String, Long> r) {
        return r.get("connect") + r.get("read") + r.get("write") + r.get("status") + r.get("timeout");
    }

    private static double rate(Map<String, Long> r) {
        return r.get("requests") * 1e6 / r.get("duration_us");
    }

    /** A wrk script POSTing one row; with a pause, each connection waits that long between requests. */
    private static String script(int pauseMillis) {
        return "wrk.method = \"POST\"\n"
                + "wrk.body = '{\"dataframe_split\": {\"columns\": [\"tenure\", \"spend\"], \"data\": [[30, 1.5]]}}'\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + (pauseMillis > 0 ? "function delay() return " + pauseMillis + " end\n" : "")
                + "function done(summary, latency, requests)\n"
                + "  io.write(string.format(\"KILN requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d "
                + "p50_us=%d p99_us=%d\\n\", summary.requests, summary.duration, summary.errors.connect, summary.errors.read, "
                + "summary.errors.write, summary.errors.status, summary.errors.timeout, latency:percentile(50), latency:percentile(99)))\n"
                + "end\n";
    }

    private static Map<String, Long> run(Path wrk, Path script, String url, int threads, int connections, int seconds)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(wrk.toString(), "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--timeout", "2s",
                "-s", script.toString(), url).redirectErrorStream(true).start();
        String out;
        try {
            if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                throw new AssertionError("wrk did not finish within " + (seconds + 30) + " s");
            }
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(out).isZero();
        Matcher m = SUMMARY.matcher(out);
        assertThat(m.find()).as("wrk printed no summary:\n" + out).isTrue();
        Map<String, Long> values = new HashMap<>();
        for (String pair : m.group(1).trim().split(" ")) {
            String[] kv = pair.split("=");
            values.put(kv[0], Long.parseLong(kv[1]));
        }
        return values;
    }

    private static Path findWrk() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(d, "wrk");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("wrk is not installed, so the serving load test cannot run. Install it with "
                + "`apt-get install wrk` (Debian; .ci/run does this), then run the tests again.");
    }
}
