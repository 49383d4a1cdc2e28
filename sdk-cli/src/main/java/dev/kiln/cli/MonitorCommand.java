package dev.kiln.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.InvalidArgumentException;
import dev.kiln.Kiln;
import dev.kiln.monitoring.Alert;
import dev.kiln.monitoring.ColumnProfile;
import dev.kiln.monitoring.InferenceLogger;
import dev.kiln.monitoring.MetricRecord;
import dev.kiln.monitoring.MonitorResult;
import dev.kiln.monitoring.MonitorSpec;
import dev.kiln.monitoring.TableProfile;
import dev.kiln.monitoring.Threshold;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kiln monitor ...}: data-quality profiles and drift monitors. {@code monitor run} exits with 3
 * when an alert fired (1 on an error, 2 on a usage error), so a scheduler or CI job can act.
 */
@Command(name = "monitor", description = "Data-quality profiles and drift monitors.", mixinStandardHelpOptions = true,
        subcommands = {MonitorCommand.Profile.class, MonitorCommand.Run.class})
final class MonitorCommand {

    /** Exit code of {@code monitor run} when at least one alert fired. */
    static final int ALERT_EXIT_CODE = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    KilnCli root;

    static void checkFormat(CommandSpec spec, String format) {
        if (!format.equals("text") && !format.equals("jsonl")) {
            throw new ParameterException(spec.commandLine(), "--format must be text or jsonl, got '" + format + "'");
        }
    }

    static void put(ObjectNode n, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    static String text(Object o) {
        return o == null ? null : o.toString();
    }

    @Command(name = "profile", description = "Nulls, ranges and freshness of a table or feature table.")
    static final class Profile implements Callable<Integer> {
        @ParentCommand
        MonitorCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "TABLE", description = "schema.table[@VERSION]")
        String table;
        @Option(names = "--time-column", description = "Event-time column for freshness (default: the first timestamp column).")
        String timeColumn;
        @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default text).")
        String format;

        @Override
        public Integer call() throws Exception {
            checkFormat(spec, format);
            PrintWriter out = spec.commandLine().getOut();
            try (Kiln kiln = parent.root.open()) {
                TableProfile p = kiln.monitoring().profile(table, timeColumn);
                if (format.equals("jsonl")) {
                    ObjectNode t = JSON.createObjectNode();
                    t.put("table", p.table().name());
                    t.put("version", p.table().version());
                    t.put("rows", p.rows());
                    t.put("time_column", p.timeColumn());
                    t.put("newest_event", text(p.newestEvent()));
                    if (p.freshness() == null) {
                        t.putNull("freshness_seconds");
                    } else {
                        t.put("freshness_seconds", p.freshness().toMillis() / 1000.0);
                    }
                    out.println(JSON.writeValueAsString(t));
                    for (ColumnProfile c : p.columns()) {
                        ObjectNode n = JSON.createObjectNode();
                        n.put("table", p.table().name());
                        n.put("column", c.column());
                        n.put("type", c.type());
                        n.put("rows", c.rows());
                        n.put("nulls", c.nulls());
                        put(n, "null_rate", c.nullRate());
                        n.put("distinct", c.distinct());
                        n.put("min", c.min());
                        n.put("max", c.max());
                        put(n, "mean", c.mean() == null ? Double.NaN : c.mean());
                        put(n, "stddev", c.stddev() == null ? Double.NaN : c.stddev());
                        out.println(JSON.writeValueAsString(n));
                    }
                } else {
                    out.println(p.table() + ": " + p.rows() + " rows" + (p.newestEvent() == null ? ""
                            : ", newest " + p.timeColumn() + " " + p.newestEvent() + " (" + p.freshness() + " ago)"));
                    out.printf(Locale.ROOT, "%-24s %-14s %10s %9s %10s %-24s %-24s%n", "column", "type", "nulls",
                            "null%", "distinct", "min", "max");
                    for (ColumnProfile c : p.columns()) {
                        out.printf(Locale.ROOT, "%-24s %-14s %10d %8.2f%% %10d %-24s %-24s%n", c.column(), c.type(),
                                c.nulls(), 100 * c.nullRate(), c.distinct(), c.min(), c.max());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "run", description = "Compare a window of an inference table (or any table) against a baseline; "
            + "append the statistics to the metrics table; exit 3 when an alert fired.")
    static final class Run implements Callable<Integer> {
        private static final Pattern THRESHOLD = Pattern.compile("(?:([A-Za-z_][A-Za-z0-9_]*):)?([A-Za-z_:][A-Za-z0-9_:]*)\\s*([<>])\\s*(\\S+)");

        @ParentCommand
        MonitorCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "TABLE_OR_MODEL_URI",
                description = "schema.table[@VERSION], or models:/NAME[/VERSION] for the model's inference table inference.NAME")
        String target;
        @Option(names = "--baseline", required = true, paramLabel = "TABLE[@VERSION]",
                description = "The baseline, e.g. the training set ml.train@4.")
        String baseline;
        @Option(names = "--window", paramLabel = "DURATION", description = "Window ending now (or at --end): 1d, 6h, 30m, PT2H. Default: the whole table.")
        String window;
        @Option(names = "--end", description = "Window end (ISO-8601), default now.")
        String end;
        @Option(names = "--time-column", defaultValue = "ts", description = "The target's event-time column (default ts).")
        String timeColumn;
        @Option(names = "--features", split = ",", description = "Only these features (default: every shared column).")
        List<String> features = List.of();
        @Option(names = "--threshold", paramLabel = "[FEATURE:]STAT>VALUE",
                description = "Extra alert bound, e.g. psi>0.1, age:null_rate>0.05, prediction:auc<0.7 (defaults psi>0.2, js>0.2 stay).")
        List<String> thresholds = List.of();
        @Option(names = "--no-default-thresholds", description = "Drop the default bounds psi>0.2 and js>0.2.")
        boolean noDefaults;
        @Option(names = "--metrics-table", defaultValue = MonitorSpec.DEFAULT_METRICS_TABLE, description = "Where statistics go (default monitoring.metrics).")
        String metricsTable;
        @Option(names = "--dry-run", description = "Compute and print without writing the metrics table.")
        boolean dryRun;
        @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default text).")
        String format;

        @Override
        public Integer call() throws Exception {
            checkFormat(spec, format);
            String table = target;
            String filter = null;
            if (target.startsWith("models:/")) {
                String rest = target.substring("models:/".length());
                if (rest.contains("@")) {
                    throw new InvalidArgumentException("Model URI " + target
                            + ": aliases are not resolved here yet; pass models:/NAME/VERSION.");
                }
                String[] parts = rest.split("/");
                if (parts.length < 1 || parts.length > 2 || parts[0].isEmpty()) {
                    throw new ParameterException(spec.commandLine(), "Model URI must be models:/NAME or models:/NAME/VERSION, got '" + target + "'");
                }
                table = InferenceLogger.defaultTable(parts[0]);
                if (parts.length == 2) {
                    try {
                        filter = "model_version = " + Long.parseLong(parts[1]);
                    } catch (NumberFormatException e) {
                        throw new ParameterException(spec.commandLine(), "Model version must be a number in '" + target + "'");
                    }
                }
            }
            MonitorSpec.Builder b = MonitorSpec.builder(table, baseline).features(features.toArray(String[]::new))
                    .metricsTable(dryRun ? null : metricsTable).filter(filter);
            if (window != null) {
                b.window(timeColumn, parseDuration(spec, window), end == null ? null : TableCommand.parseInstant(end));
            }
            if (noDefaults) {
                b.clearThresholds();
            }
            for (String t : thresholds) {
                b.threshold(parseThreshold(spec, t));
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Kiln kiln = parent.root.open()) {
                MonitorResult r = kiln.monitoring().run(b.build());
                if (format.equals("jsonl")) {
                    for (MetricRecord m : r.metrics()) {
                        ObjectNode n = JSON.createObjectNode();
                        n.put("window_start", text(r.windowStart()));
                        n.put("window_end", text(r.windowEnd()));
                        n.put("target", r.target().name());
                        n.put("target_version", r.target().version());
                        n.put("baseline", r.baseline().name());
                        n.put("baseline_version", r.baseline().version());
                        n.put("feature", m.feature());
                        n.put("statistic", m.statistic());
                        put(n, "value", m.value());
                        n.put("alert", m.alert());
                        out.println(JSON.writeValueAsString(n));
                    }
                } else {
                    out.println(r.target() + " vs " + r.baseline() + (r.windowStart() == null ? " (whole table)"
                            : " window [" + r.windowStart() + ", " + r.windowEnd() + ")") + ": " + r.rows() + " rows vs "
                            + r.baselineRows());
                    for (MetricRecord m : r.metrics()) {
                        out.printf(Locale.ROOT, "%-24s %-16s %14.6g%s%n", m.feature(), m.statistic(), m.value(),
                                m.alert() ? "  ALERT" : "");
                    }
                    if (r.metricsVersion() >= 0) {
                        out.println("metrics written to " + metricsTable + " version " + r.metricsVersion());
                    }
                }
                for (Alert a : r.alerts()) {
                    spec.commandLine().getErr().println("alert: " + a.message());
                }
                return r.alerts().isEmpty() ? 0 : ALERT_EXIT_CODE;
            }
        }

        static Threshold parseThreshold(CommandSpec spec, String text) {
            Matcher m = THRESHOLD.matcher(text.trim());
            if (!m.matches()) {
                throw new ParameterException(spec.commandLine(), "--threshold must look like psi>0.2 or FEATURE:STAT<VALUE, got '" + text + "'");
            }
            double v;
            try {
                v = Double.parseDouble(m.group(4));
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), "--threshold value is not a number in '" + text + "'");
            }
            Threshold t = m.group(3).equals(">") ? Threshold.above(m.group(2), v) : Threshold.below(m.group(2), v);
            return m.group(1) == null ? t : t.forFeature(m.group(1));
        }

        static Duration parseDuration(CommandSpec spec, String text) {
            Matcher m = Pattern.compile("(\\d+)([dhms])").matcher(text.trim().toLowerCase(Locale.ROOT));
            try {
                if (m.matches()) {
                    long n = Long.parseLong(m.group(1));
                    return switch (m.group(2)) {
                        case "d" -> Duration.ofDays(n);
                        case "h" -> Duration.ofHours(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofSeconds(n);
                    };
                }
                Duration d = Duration.parse(text.trim());
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException();
                }
                return d;
            } catch (RuntimeException e) {
                throw new ParameterException(spec.commandLine(), "--window must look like 1d, 6h, 30m, 90s or PT2H, got '" + text + "'");
            }
        }
    }
}
