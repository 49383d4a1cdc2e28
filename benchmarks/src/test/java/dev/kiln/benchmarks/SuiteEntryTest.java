package dev.kiln.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/** The suite's table must stay true to the benchmark classes it names, or pairs silently go missing. */
class SuiteEntryTest {

    @Test
    void everyBenchmarkClassOfTheModuleIsInTheSuite() throws Exception {
        // every compiled class of this module with a @Benchmark method, found on disk so a new class cannot be forgotten
        Path classes = Path.of(SuiteEntry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> found = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith("Benchmark.class")).toList()) {
                String name = classes.relativize(file).toString().replace(java.io.File.separatorChar, '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name);
                if (Arrays.stream(type.getMethods()).anyMatch(m -> m.isAnnotationPresent(Benchmark.class))) {
                    found.add(type.getSimpleName());
                }
            }
        }
        assertThat(found).hasSizeGreaterThanOrEqualTo(14);
        assertThat(SuiteEntry.all()).extracting(e -> e.benchmark().getSimpleName()).containsExactlyInAnyOrderElementsOf(found);
    }

    @Test
    void pairingsNameParamValuesAndMethodsTheClassesHave() {
        for (SuiteEntry entry : SuiteEntry.all()) {
            Class<?> type = entry.benchmark();
            Pairing pairing = entry.pairing();
            assertThat(pairing.benchmark()).isEqualTo(type.getSimpleName());
            if (pairing.byParam()) {
                List<String> values = Arrays.asList(param(type, pairing.param()).orElseThrow().getAnnotation(Param.class).value());
                assertThat(values).as(type.getSimpleName()).containsAll(pairing.baselineValues());
                assertThat(values).as(type.getSimpleName() + " measures something besides its baselines").hasSizeGreaterThan(pairing.baselineValues().size());
            } else {
                List<String> methods = Arrays.stream(type.getMethods()).filter(m -> m.isAnnotationPresent(Benchmark.class)).map(Method::getName).toList();
                assertThat(methods).as(type.getSimpleName()).containsAll(pairing.baselineMethods().keySet()).containsAll(pairing.baselineMethods().values().stream().flatMap(List::stream).toList());
            }
            for (String name : entry.shortParams().keySet()) {
                assertThat(param(type, name)).as(type.getSimpleName() + " has @Param " + name).isPresent();
            }
        }
    }

    @Test
    void theShortSuiteRunsEachClassInOneForkWithFewIterations() {
        for (SuiteEntry entry : SuiteEntry.all()) {
            var options = SuiteRunner.options(entry, false);
            assertThat(options.getForkCount().get()).isEqualTo(1);
            assertThat(options.getMeasurementIterations().get()).isLessThanOrEqualTo(3);
            assertThat(options.getIncludes()).singleElement().satisfies(regex ->
                    assertThat(java.util.regex.Pattern.compile(regex).matcher(entry.benchmark().getName() + ".run").find()).isTrue());
        }
    }

    private static Optional<Field> param(Class<?> type, String name) {
        return Arrays.stream(type.getFields()).filter(f -> f.getName().equals(name) && f.isAnnotationPresent(Param.class)).findFirst();
    }
}
