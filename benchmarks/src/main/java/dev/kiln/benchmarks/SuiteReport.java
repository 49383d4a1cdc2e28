package dev.kiln.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The results of one suite run: where it ran, every comparison, and the benchmarks that produced
 * nothing, as JSON and as a Markdown table.
 *
 * @param environment the machine and JVM
 * @param comparisons each measured figure beside its baseline
 * @param failures benchmark class to why it has no figures
 */
record SuiteReport(Environment environment, List<Comparison> comparisons, Map<String, String> failures) {

    static final String RATIO_MEANING = "ratio = how many times faster the measured side is than its baseline in the same run: "
            + "baseline time / measured time (for rates: measured / baseline). Higher is better; 1.00 = as fast; below 1 = slower.";

    /**
     * Where the suite ran.
     *
     * @param suite {@code short} or {@code full}
     * @param cores available processors
     * @param jdk {@code java.version}
     * @param jdkVendor {@code java.vendor} and {@code java.vm.name}
     * @param os name, version and architecture
     * @param started when the run started
     * @param elapsed how long the whole run took
     * @param loadBefore the one-minute load average when the run started (negative where the OS does not say)
     * @param loadAfter the one-minute load average when it ended; far above {@code cores}, other work shared the machine
     */
    record Environment(String suite, int cores, String jdk, String jdkVendor, String os, Instant started, Duration elapsed, double loadBefore,
            double loadAfter) {

        static Environment current(String suite, Instant started, Duration elapsed, double loadBefore) {
            return new Environment(suite, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    System.getProperty("java.vendor") + ", " + System.getProperty("java.vm.name"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"), started,
                    elapsed, loadBefore, load());
        }

        static double load() {
            return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }

    SuiteReport {
        comparisons = List.copyOf(comparisons);
        failures = new LinkedHashMap<>(failures);
    }

    String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Kiln benchmark results (").append(environment.suite()).append(" suite)\n\n");
        md.append("- Date: ").append(environment.started()).append("; whole run: ").append(minutes(environment.elapsed())).append('\n');
        md.append("- Machine: ").append(environment.cores()).append(" cores, ").append(environment.os());
        if (environment.loadBefore() >= 0) {
            md.append("; load average ").append(String.format(Locale.ROOT, "%.1f", environment.loadBefore())).append(" at the start, ")
                    .append(String.format(Locale.ROOT, "%.1f", environment.loadAfter())).append(" at the end");
        }
        md.append('\n');
        md.append("- JDK: ").append(environment.jdk()).append(" (").append(environment.jdkVendor()).append(")\n");
        md.append("- ").append(RATIO_MEANING).append('\n');
        md.append("- Figures are JMH's mean (± its 99.9% error when there were enough iterations), or the median (p50) for sample-time "
                + "benchmarks.\n\n");
        md.append("| Benchmark | Params | Measured | Figure | Baseline | Baseline figure | Ratio | Unit |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Comparison c : comparisons) {
            md.append("| ").append(c.benchmark()).append(" | ").append(params(c.params())).append(" | ").append(c.variant()).append(" | ")
                    .append(figure(c.measured())).append(" | ").append(c.baselineVariant() == null ? "—" : c.baselineVariant()).append(" | ")
                    .append(c.baseline() == null ? "—" : figure(c.baseline())).append(" | ")
                    .append(Double.isNaN(c.ratio()) ? "—" : String.format(Locale.ROOT, "%.2fx", c.ratio())).append(" | ")
                    .append(c.measured().unit()).append(c.measured().statistic().equals("p50") ? " (p50)" : "").append(" |\n");
        }
        if (!failures.isEmpty()) {
            md.append("\nNot measured:\n\n");
            failures.forEach((benchmark, why) -> md.append("- ").append(benchmark).append(": ").append(why).append('\n'));
        }
        return md.toString();
    }

    String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("suite", environment.suite());
        env.put("cores", environment.cores());
        env.put("jdk", environment.jdk());
        env.put("jdkVendor", environment.jdkVendor());
        env.put("os", environment.os());
        env.put("started", environment.started().toString());
        env.put("elapsedSeconds", environment.elapsed().toSeconds());
        env.put("loadAverageAtStart", environment.loadBefore());
        env.put("loadAverageAtEnd", environment.loadAfter());
        root.put("environment", env);
        root.put("ratio", RATIO_MEANING);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Comparison c : comparisons) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("benchmark", c.benchmark());
            row.put("params", c.params());
            row.put("measured", figureJson(c.variant(), c.measured()));
            row.put("baseline", c.baseline() == null ? null : figureJson(c.baselineVariant(), c.baseline()));
            row.put("ratio", Double.isNaN(c.ratio()) ? null : c.ratio());
            row.put("unit", c.measured().unit());
            row.put("higherIsBetter", c.measured().higherIsBetter());
            rows.add(row);
        }
        root.put("comparisons", rows);
        root.put("failures", failures);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> figureJson(String variant, Figure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", variant);
        m.put("score", f.score());
        m.put("error", Double.isFinite(f.error()) ? f.error() : null);
        m.put("statistic", f.statistic());
        m.put("mode", f.mode());
        return m;
    }

    /** The params that were set; empty ones (an unused {@code model=} or {@code input=}) only add noise to the table. */
    private static String params(Map<String, String> params) {
        String set = params.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
        return set.isEmpty() ? "—" : set;
    }

    static String figure(Figure f) {
        String score = number(f.score());
        return Double.isFinite(f.error()) && f.error() > 0 ? score + " ± " + number(f.error()) : score;
    }

    /** Three significant digits at most, no exponent for ordinary magnitudes. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String minutes(Duration d) {
        return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }
}
