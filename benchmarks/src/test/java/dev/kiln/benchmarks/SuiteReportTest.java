package dev.kiln.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuiteReportTest {

    private static final List<Pairing> PAIRINGS = List.of(
            Pairing.byParam("SingleRowBenchmark", "impl", "xgboost4j"),
            Pairing.byParam("BatchBenchmark", "impl", "xgboost4j-prebuilt", "xgboost4j-with-dmatrix"),
            Pairing.byMethod("OnlineLookupBenchmark", Map.of("kilnOnlineGet", List.of("concurrentHashMapGet"))),
            Pairing.byParam("RateBenchmark", "impl", "naive"),
            Pairing.byParam("LonelyBenchmark", "impl", "baseline"));

    private static final List<Figure> FIGURES = List.of(
            Figure.of("SingleRowBenchmark", "score", Map.of("impl", "kiln", "shape", "100x6"), "avgt", 0.91, 0.02, "us/op", "mean"),
            Figure.of("SingleRowBenchmark", "score", Map.of("impl", "xgboost4j", "shape", "100x6"), "avgt", 78.0, Double.NaN, "us/op", "mean"),
            Figure.of("SingleRowBenchmark", "score", Map.of("impl", "kiln", "shape", "500x8"), "avgt", 6.0, 0.5, "us/op", "mean"),
            Figure.of("SingleRowBenchmark", "score", Map.of("impl", "xgboost4j", "shape", "500x8"), "avgt", 198.0, 4.0, "us/op", "mean"),
            Figure.of("BatchBenchmark", "scoreBatch", Map.of("impl", "kiln"), "avgt", 400.0, 10.0, "ms/op", "mean"),
            Figure.of("BatchBenchmark", "scoreBatch", Map.of("impl", "xgboost4j-prebuilt"), "avgt", 800.0, 10.0, "ms/op", "mean"),
            Figure.of("BatchBenchmark", "scoreBatch", Map.of("impl", "xgboost4j-with-dmatrix"), "avgt", 1200.0, 10.0, "ms/op", "mean"),
            Figure.of("OnlineLookupBenchmark", "kilnOnlineGet", Map.of("keys", "1000"), "sample", 0.5, Double.NaN, "us/op", "p50"),
            Figure.of("OnlineLookupBenchmark", "concurrentHashMapGet", Map.of("keys", "1000"), "sample", 0.25, Double.NaN, "us/op", "p50"),
            Figure.of("RateBenchmark", "run", Map.of("impl", "kiln"), "thrpt", 300.0, Double.NaN, "ops/s", "mean"),
            Figure.of("RateBenchmark", "run", Map.of("impl", "naive"), "thrpt", 100.0, Double.NaN, "ops/s", "mean"),
            Figure.of("LonelyBenchmark", "run", Map.of("impl", "kiln", "input", ""), "avgt", 5.0, Double.NaN, "ms/op", "mean"));

    @Test
    void everyMeasuredFigureIsPairedWithItsBaselineAtTheSameParams() {
        List<Comparison> comparisons = Comparisons.pair(FIGURES, PAIRINGS);

        assertThat(comparisons).extracting(c -> c.benchmark() + " " + c.params() + " " + c.variant() + " vs " + c.baselineVariant())
                .containsExactly(
                        "SingleRowBenchmark {shape=100x6} impl=kiln vs impl=xgboost4j",
                        "SingleRowBenchmark {shape=500x8} impl=kiln vs impl=xgboost4j",
                        "BatchBenchmark {} impl=kiln vs impl=xgboost4j-prebuilt",
                        "BatchBenchmark {} impl=kiln vs impl=xgboost4j-with-dmatrix",
                        "OnlineLookupBenchmark {keys=1000} kilnOnlineGet vs concurrentHashMapGet",
                        "RateBenchmark {} impl=kiln vs impl=naive",
                        "LonelyBenchmark {input=} impl=kiln vs impl=baseline");
        assertThat(comparisons.get(1).baseline().score()).isEqualTo(198.0);
    }

    @Test
    void aMethodWithSeveralBaselineMethodsIsComparedWithEachInOrder() {
        List<Comparison> comparisons = Comparisons.pair(List.of(
                Figure.of("JoinBenchmark", "kiln", Map.of("rows", "10"), "ss", 20.0, Double.NaN, "ms/op", "mean"),
                Figure.of("JoinBenchmark", "ordered", Map.of("rows", "10"), "ss", 18.0, Double.NaN, "ms/op", "mean"),
                Figure.of("JoinBenchmark", "bare", Map.of("rows", "10"), "ss", 10.0, Double.NaN, "ms/op", "mean")),
                List.of(Pairing.byMethod("JoinBenchmark", Map.of("kiln", List.of("ordered", "bare")))));

        assertThat(comparisons).extracting(Comparison::baselineVariant).containsExactly("ordered", "bare");
        assertThat(comparisons.get(0).ratio()).isCloseTo(0.9, within(1e-9));
        assertThat(comparisons.get(1).ratio()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void ratioIsHowManyTimesFasterTheMeasuredSideIsForTimesAndRates() {
        List<Comparison> comparisons = Comparisons.pair(FIGURES, PAIRINGS);

        assertThat(comparisons.get(0).ratio()).isCloseTo(78.0 / 0.91, within(1e-9));
        assertThat(comparisons.get(1).ratio()).isCloseTo(33.0, within(1e-9));
        assertThat(comparisons.get(2).ratio()).isCloseTo(2.0, within(1e-9));
        assertThat(comparisons.get(3).ratio()).isCloseTo(3.0, within(1e-9));
        assertThat(comparisons.get(4).ratio()).as("Kiln twice as slow as a bare map").isCloseTo(0.5, within(1e-9));
        assertThat(comparisons.get(5).ratio()).as("a rate: higher is better").isCloseTo(3.0, within(1e-9));
        assertThat(comparisons.get(6).ratio()).as("no baseline figure").isNaN();
    }

    @Test
    void figuresInDifferentUnitsAreNotCompared() {
        Comparison mixed = Comparisons.pair(List.of(
                Figure.of("RateBenchmark", "run", Map.of("impl", "kiln"), "avgt", 3.0, Double.NaN, "ms/op", "mean"),
                Figure.of("RateBenchmark", "run", Map.of("impl", "naive"), "avgt", 3.0, Double.NaN, "us/op", "mean")), PAIRINGS).get(0);

        assertThatThrownBy(mixed::ratio).hasMessageContaining("ms/op").hasMessageContaining("us/op");
    }

    @Test
    void markdownHasTheMachineTheRatioMeaningAndOneRowPerComparison() {
        SuiteReport report = report();

        String md = report.toMarkdown();

        assertThat(md).contains("# Kiln benchmark results (short suite)")
                .contains("- Date: 2026-11-27T14:00:00Z; whole run: 8 min 5 s")
                .contains("- Machine: 2 cores, Linux 6.1 amd64; load average 12.0 at the start, 17.5 at the end")
                .contains("- JDK: 17.0.13 (Eclipse Adoptium, OpenJDK 64-Bit Server VM)")
                .contains("Higher is better")
                .contains("| Benchmark | Params | Measured | Figure | Baseline | Baseline figure | Ratio | Unit |")
                .contains("| SingleRowBenchmark | shape=100x6 | impl=kiln | 0.910 ± 0.0200 | impl=xgboost4j | 78.0 | 85.71x | us/op |")
                .contains("| BatchBenchmark | — | impl=kiln | 400 ± 10.0 | impl=xgboost4j-with-dmatrix | 1200 ± 10.0 | 3.00x | ms/op |")
                .contains("| OnlineLookupBenchmark | keys=1000 | kilnOnlineGet | 0.500 | concurrentHashMapGet | 0.250 | 0.50x | us/op (p50) |")
                .contains("| LonelyBenchmark | — | impl=kiln | 5.00 | impl=baseline | — | — | ms/op |")
                .contains("- TrainingSetBenchmark: out of memory");
        assertThat(md.lines().filter(l -> l.startsWith("| ") && l.endsWith(" |") && !l.startsWith("| Benchmark"))).hasSize(7);
    }

    @Test
    void jsonCarriesTheSameFiguresRatiosAndMachine() throws Exception {
        JsonNode json = new ObjectMapper().readTree(report().toJson());

        assertThat(json.at("/environment/cores").asInt()).isEqualTo(2);
        assertThat(json.at("/environment/jdk").asText()).isEqualTo("17.0.13");
        assertThat(json.at("/environment/elapsedSeconds").asLong()).isEqualTo(485);
        assertThat(json.at("/environment/loadAverageAtEnd").asDouble()).isEqualTo(17.5);
        assertThat(json.get("comparisons")).hasSize(7);
        JsonNode first = json.at("/comparisons/0");
        assertThat(first.at("/measured/variant").asText()).isEqualTo("impl=kiln");
        assertThat(first.at("/baseline/score").asDouble()).isEqualTo(78.0);
        assertThat(first.at("/baseline/error").isNull()).isTrue();
        assertThat(first.at("/ratio").asDouble()).isCloseTo(78.0 / 0.91, within(1e-9));
        assertThat(first.at("/params/shape").asText()).isEqualTo("100x6");
        assertThat(json.at("/comparisons/5/higherIsBetter").asBoolean()).isTrue();
        assertThat(json.at("/comparisons/6/ratio").isNull()).isTrue();
        assertThat(json.at("/failures/TrainingSetBenchmark").asText()).isEqualTo("out of memory");
    }

    @Test
    void numbersKeepAboutThreeSignificantDigits() {
        assertThat(SuiteReport.number(12345.6)).isEqualTo("12346");
        assertThat(SuiteReport.number(42.345)).isEqualTo("42.3");
        assertThat(SuiteReport.number(4.2)).isEqualTo("4.20");
        assertThat(SuiteReport.number(0.0712)).isEqualTo("0.0712");
    }

    private static SuiteReport report() {
        SuiteReport.Environment env = new SuiteReport.Environment("short", 2, "17.0.13", "Eclipse Adoptium, OpenJDK 64-Bit Server VM",
                "Linux 6.1 amd64", Instant.parse("2026-11-27T14:00:00Z"), Duration.ofSeconds(485), 12.04, 17.5);
        return new SuiteReport(env, Comparisons.pair(FIGURES, PAIRINGS), Map.of("TrainingSetBenchmark", "out of memory"));
    }
}
