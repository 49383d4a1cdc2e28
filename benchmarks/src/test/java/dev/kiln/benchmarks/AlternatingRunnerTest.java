package dev.kiln.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.benchmarks.features.TrainingSetBenchmark;
import dev.kiln.benchmarks.training.TrainingOverheadBenchmark;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.Options;

class AlternatingRunnerTest {

    @Test
    void aParamArmRunsEveryMethodOfTheClassWithThatValueAndTheSharedParams() {
        AlternatingRunner.Request request = AlternatingRunner.Request.parse(new String[] {"TrainingOverheadBenchmark", "--arm", "impl=kiln-unwatched",
            "--baseline", "impl=xgboost4j", "--pairs", "5", "--param", "rows=1000000", "--measurements", "4"});
        assertThat(request.benchmark()).isEqualTo(TrainingOverheadBenchmark.class);
        assertThat(request.pairs()).isEqualTo(5);
        assertThat(request.params()).isEqualTo(Map.of("rows", "1000000"));

        Options arm = AlternatingRunner.options(request, request.arm());
        assertThat(arm.getParameter("impl").get()).containsExactly("kiln-unwatched");
        assertThat(arm.getParameter("rows").get()).containsExactly("1000000");
        assertThat(arm.getForkCount().get()).isEqualTo(1);
        assertThat(arm.getMeasurementIterations().get()).isEqualTo(4);
        assertThat(arm.getWarmupIterations().hasValue()).isFalse(); // the class's own
        assertThat(arm.getIncludes()).singleElement().satisfies(pattern -> {
            assertThat("dev.kiln.benchmarks.training.TrainingOverheadBenchmark.train").matches(pattern);
            assertThat("dev.kiln.benchmarks.training.TrainingOverheadBenchmarkX.train").doesNotMatch(pattern);
        });
        assertThat(AlternatingRunner.options(request, request.baseline()).getParameter("impl").get()).containsExactly("xgboost4j");
    }

    @Test
    void aMethodArmRunsThatMethodOnly() {
        AlternatingRunner.Request request = AlternatingRunner.Request.parse(new String[] {TrainingSetBenchmark.class.getName(),
            "--arm", "kilnMaterialised", "--baseline", "duckdbAsofOrderedMaterialised"});
        assertThat(request.pairs()).isEqualTo(3);
        List<String> includes = AlternatingRunner.options(request, request.arm()).getIncludes();
        assertThat(TrainingSetBenchmark.class.getName() + ".kilnMaterialised").matches(includes.get(0));
        assertThat(TrainingSetBenchmark.class.getName() + ".kilnAggregated").doesNotMatch(includes.get(0));
        assertThat(TrainingSetBenchmark.class.getName() + ".duckdbAsofMaterialised").doesNotMatch(includes.get(0));
    }

    @Test
    void badRequestsAreRefusedWithWhatToChange() {
        assertThatThrownBy(() -> AlternatingRunner.Request.parse(new String[] {"NoSuchBenchmark", "--arm", "a", "--baseline", "b"}))
                .hasMessageContaining("No benchmark class 'NoSuchBenchmark'").hasMessageContaining("TrainingOverheadBenchmark");
        assertThatThrownBy(() -> AlternatingRunner.Request.parse(new String[] {"TrainingOverheadBenchmark", "--arm", "impl=kiln"}))
                .hasMessageContaining("--baseline");
        assertThatThrownBy(() -> AlternatingRunner.Request.parse(new String[] {"TrainingOverheadBenchmark", "--arm", "a", "--baseline", "b",
            "--pairs", "0"})).hasMessageContaining("--pairs takes a whole number of at least 1");
        assertThatThrownBy(() -> AlternatingRunner.Request.parse(new String[] {"TrainingOverheadBenchmark", "--param", "rows"}))
                .hasMessageContaining("name=value");
        assertThatThrownBy(() -> AlternatingRunner.Request.parse(new String[] {"TrainingOverheadBenchmark", "--pairs"}))
                .hasMessageContaining("--pairs needs a value");
    }
}
