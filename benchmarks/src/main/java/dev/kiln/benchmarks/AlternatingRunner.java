package dev.kiln.benchmarks;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Measures one arm of a benchmark against its baseline in alternating single forks (arm then
 * baseline, then baseline then arm, and so on) and prints each pair's ratio and the median. On a
 * shared or virtual machine the baseline alone can move by a quarter between runs minutes apart,
 * more than the difference asked about; pairs taken back to back cancel most of that drift.
 *
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.kiln.benchmarks.AlternatingRunner TrainingOverheadBenchmark \
 *     --arm impl=kiln-unwatched --baseline impl=xgboost4j --pairs 5 --param rows=1000000
 * java -cp benchmarks/target/benchmarks.jar dev.kiln.benchmarks.AlternatingRunner TrainingSetBenchmark \
 *     --arm kilnMaterialised --baseline duckdbAsofOrderedMaterialised --pairs 3
 * </pre>
 *
 * <p>An arm is a {@code @Param} value ({@code name=value}) or a benchmark method's name. Warm-up and
 * measured iterations default to the class's own; {@code --warmups N} and {@code --measurements N}
 * change them for both sides.
 */
public final class AlternatingRunner {

    private AlternatingRunner() {
    }

    /**
     * Runs the pairs and prints them.
     *
     * @param args {@code Benchmark --arm A --baseline B [--pairs N] [--param name=value ...] [--warmups N] [--measurements N]}
     * @throws RunnerException if JMH cannot run a fork
     */
    public static void main(String[] args) throws RunnerException {
        Request request;
        try {
            request = Request.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("Usage: AlternatingRunner Benchmark --arm A --baseline B [--pairs N] [--param name=value ...]"
                    + " [--warmups N] [--measurements N]; A and B are name=value of a @Param or a method name.");
            System.exit(2);
            return;
        }
        PairedRatios ratios = null;
        for (int pair = 0; pair < request.pairs(); pair++) {
            boolean armFirst = pair % 2 == 0;
            Figure first = measure(request, armFirst ? request.arm() : request.baseline());
            Figure second = measure(request, armFirst ? request.baseline() : request.arm());
            Figure arm = armFirst ? first : second;
            Figure baseline = armFirst ? second : first;
            if (ratios == null) {
                ratios = new PairedRatios(arm.higherIsBetter());
            }
            double ratio = ratios.add(arm.score(), baseline.score());
            System.out.printf("pair %d: %s %.4g %s, %s %.4g %s, ratio %.2fx%n", pair + 1, request.arm(), arm.score(), arm.unit(),
                    request.baseline(), baseline.score(), baseline.unit(), ratio);
        }
        System.out.printf("%s %s against %s: median %.2fx, min %.2fx, max %.2fx over %d pairs (%s)%n", request.benchmark().getSimpleName(),
                request.arm(), request.baseline(), ratios.median(), ratios.min(), ratios.max(), ratios.size(),
                ratios.higherIsBetter() ? "baseline rate over arm rate" : "arm time over baseline time");
    }

    private static Figure measure(Request request, String side) throws RunnerException {
        Collection<RunResult> results = new Runner(options(request, side)).run();
        if (results.size() != 1) {
            throw new RunnerException(side + " of " + request.benchmark().getSimpleName() + " gave " + results.size()
                    + " results, not one: name a method as the arm, or fix the other @Param values with --param.");
        }
        return SuiteRunner.figure(results.iterator().next());
    }

    static Options options(Request request, String side) {
        String prefix = Pattern.quote(request.benchmark().getName() + ".");
        int eq = side.indexOf('=');
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(prefix + (eq < 0 ? Pattern.quote(side) + "$" : "\\w+$"))
                .forks(1)
                .shouldFailOnError(true);
        request.params().forEach(options::param);
        if (eq >= 0) {
            options.param(side.substring(0, eq), side.substring(eq + 1));
        }
        if (request.warmups() >= 0) {
            options.warmupIterations(request.warmups());
        }
        if (request.measurements() >= 0) {
            options.measurementIterations(request.measurements());
        }
        return options.build();
    }

    /**
     * What to measure.
     *
     * @param benchmark the benchmark class
     * @param arm the measured side: {@code name=value} of a {@code @Param}, or a method name
     * @param baseline the side it is compared with, in the same form
     * @param pairs how many pairs to run
     * @param params other {@code @Param} values, the same for both sides
     * @param warmups warm-up iterations, or -1 for the class's own
     * @param measurements measured iterations, or -1 for the class's own
     */
    record Request(Class<?> benchmark, String arm, String baseline, int pairs, Map<String, String> params, int warmups, int measurements) {

        static Request parse(String[] args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("Name a benchmark class.");
            }
            Class<?> benchmark = benchmarkClass(args[0]);
            String arm = null;
            String baseline = null;
            int pairs = 3;
            int warmups = -1;
            int measurements = -1;
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 1; i < args.length; i++) {
                String option = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(option + " needs a value.");
                }
                String value = args[++i];
                switch (option) {
                    case "--arm" -> arm = value;
                    case "--baseline" -> baseline = value;
                    case "--pairs" -> pairs = count(option, value, 1);
                    case "--warmups" -> warmups = count(option, value, 0);
                    case "--measurements" -> measurements = count(option, value, 1);
                    case "--param" -> {
                        int eq = value.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--param takes name=value, got '" + value + "'.");
                        }
                        params.put(value.substring(0, eq), value.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("Unknown option '" + option + "'.");
                }
            }
            if (arm == null || baseline == null) {
                throw new IllegalArgumentException("Name both sides: --arm and --baseline.");
            }
            return new Request(benchmark, arm, baseline, pairs, Map.copyOf(params), warmups, measurements);
        }

        private static Class<?> benchmarkClass(String name) {
            for (SuiteEntry entry : SuiteEntry.all()) {
                if (entry.benchmark().getSimpleName().equals(name) || entry.benchmark().getName().equals(name)) {
                    return entry.benchmark();
                }
            }
            throw new IllegalArgumentException("No benchmark class '" + name + "' in the suite; the classes are "
                    + SuiteEntry.all().stream().map(e -> e.benchmark().getSimpleName()).toList() + ".");
        }

        private static int count(String option, String value, int least) {
            try {
                int n = Integer.parseInt(value);
                if (n >= least) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
            throw new IllegalArgumentException(option + " takes a whole number of at least " + least + ", got '" + value + "'.");
        }
    }
}
