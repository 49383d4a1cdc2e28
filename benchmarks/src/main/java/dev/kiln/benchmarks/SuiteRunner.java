package dev.kiln.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark class of the suite with JMH (one fork each), pairs each figure with its
 * baseline from the same run, and writes {@code results.json} and {@code results.md}.
 *
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.kiln.benchmarks.SuiteRunner --short --out benchmarks/results
 * </pre>
 *
 * <p>{@code --short} (the default) runs small sizes and few one-second iterations, under 10 minutes on
 * 2 cores; {@code --full} runs the sizes each class declares (hours). {@code --only A,B} runs the named
 * classes only.
 */
public final class SuiteRunner {

    private SuiteRunner() {
    }

    /**
     * Runs the suite.
     *
     * @param args {@code [--short|--full] [--out DIR] [--only Class1,Class2]}
     * @throws IOException if the results cannot be written
     */
    public static void main(String[] args) throws IOException {
        boolean full = false;
        Path out = Path.of("benchmarks", "results");
        Set<String> only = Set.of();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> full = false;
                case "--full" -> full = true;
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--only" -> only = Set.of(value(args, ++i, "--only").split(","));
                default -> {
                    System.err.println("Unknown argument '" + args[i] + "'. Usage: SuiteRunner [--short|--full] [--out DIR] [--only Class1,Class2]");
                    System.exit(2);
                }
            }
        }
        List<SuiteEntry> entries = new ArrayList<>();
        for (SuiteEntry entry : SuiteEntry.all()) {
            if (only.isEmpty() || only.contains(entry.benchmark().getSimpleName())) {
                entries.add(entry);
            }
        }
        if (entries.isEmpty()) {
            System.err.println("--only names no class of the suite; the classes are "
                    + SuiteEntry.all().stream().map(e -> e.benchmark().getSimpleName()).collect(Collectors.joining(", ")));
            System.exit(2);
        }
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        double loadBefore = SuiteReport.Environment.load();
        long t0 = System.nanoTime();
        List<Figure> figures = new ArrayList<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (SuiteEntry entry : entries) {
            String name = entry.benchmark().getSimpleName();
            try {
                Collection<RunResult> results = new Runner(options(entry, full)).run();
                if (results.isEmpty()) {
                    failures.put(name, "JMH produced no result (see the benchmark's output above)");
                }
                results.forEach(r -> figures.add(figure(r)));
            } catch (RunnerException | RuntimeException e) {
                failures.put(name, String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()));
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0).truncatedTo(ChronoUnit.SECONDS);
        SuiteReport report = new SuiteReport(SuiteReport.Environment.current(full ? "full" : "short", started, elapsed, loadBefore),
                Comparisons.pair(figures, entries.stream().map(SuiteEntry::pairing).toList()), failures);
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.json"), report.toJson() + "\n");
        Files.writeString(out.resolve("results.md"), report.toMarkdown());
        System.out.println();
        System.out.println(report.toMarkdown());
        System.out.println("Wrote " + out.resolve("results.md") + " and " + out.resolve("results.json"));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    static org.openjdk.jmh.runner.options.Options options(SuiteEntry entry, boolean full) {
        SuiteEntry.Budget budget = full ? entry.fullBudget() : entry.shortBudget();
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(Pattern.quote(entry.benchmark().getName() + ".") + "\\w+$")
                .forks(1)
                .shouldFailOnError(false)
                .warmupIterations(budget.warmups())
                .measurementIterations(budget.measurements());
        if (budget.seconds() > 0) {
            options.warmupTime(TimeValue.seconds(budget.seconds())).measurementTime(TimeValue.seconds(budget.seconds()));
        }
        if (!full) {
            entry.shortParams().forEach(options::param);
        }
        return options.build();
    }

    static Figure figure(RunResult run) {
        BenchmarkParams params = run.getParams();
        String benchmark = params.getBenchmark();
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        String className = benchmark.substring(0, benchmark.lastIndexOf('.'));
        Map<String, String> values = new TreeMap<>();
        for (String key : params.getParamsKeys()) {
            values.put(key, params.getParam(key));
        }
        Result<?> primary = run.getPrimaryResult();
        String mode = params.getMode().shortLabel();
        boolean sampled = mode.equals("sample");
        return Figure.of(className.substring(className.lastIndexOf('.') + 1), method, values, mode,
                sampled ? primary.getStatistics().getPercentile(50) : primary.getScore(), sampled ? Double.NaN : primary.getScoreError(),
                primary.getScoreUnit(), sampled ? "p50" : "mean");
    }
}
