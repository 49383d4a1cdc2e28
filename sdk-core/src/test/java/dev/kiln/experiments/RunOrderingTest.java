package dev.kiln.experiments;

import static dev.kiln.experiments.Runs.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunOrderingTest {

    private static List<String> order(List<RunRecord> runs, String... orderBy) {
        List<RunRecord> copy = new ArrayList<>(runs);
        Collections.shuffle(copy, new java.util.Random(7));
        copy.sort(RunOrdering.of(List.of(orderBy)));
        return copy.stream().map(RunRecord::runId).toList();
    }

    private final List<RunRecord> runs = List.of(
            run("r1").start(100).metric("auc", 0.5).param("p", "b").build(),
            run("r2").start(300).metric("auc", Double.NaN).param("p", "a").build(),
            run("r3").start(200).metric("auc", 0.9).build(),
            run("r4").start(400).param("p", "c").build(),
            run("r5").start(250).metric("auc", 0.7).param("p", "a").build());

    @Test
    void defaultOrderIsStartTimeDescThenRunId() {
        assertThat(order(runs)).containsExactly("r4", "r2", "r5", "r3", "r1");
        List<RunRecord> ties = List.of(run("b").start(1).build(), run("a").start(1).build(), run("c").start(2).build());
        assertThat(order(ties)).containsExactly("c", "a", "b");
    }

    @Test
    void metricDescendingPutsNanThenMissingLast() {
        assertThat(order(runs, "metrics.auc DESC")).containsExactly("r3", "r5", "r1", "r2", "r4");
    }

    @Test
    void metricAscendingPutsNanThenMissingLast() {
        assertThat(order(runs, "metrics.auc")).containsExactly("r1", "r5", "r3", "r2", "r4");
        assertThat(order(runs, "metrics.auc ASC")).containsExactly("r1", "r5", "r3", "r2", "r4");
    }

    @Test
    void paramsOrderAsStringsMissingLastTiesByDefaultOrder() {
        assertThat(order(runs, "params.p")).containsExactly("r2", "r5", "r1", "r4", "r3");
        assertThat(order(runs, "params.p DESC")).containsExactly("r4", "r1", "r2", "r5", "r3");
    }

    @Test
    void severalKeys() {
        assertThat(order(runs, "params.p", "metrics.auc DESC")).containsExactly("r5", "r2", "r1", "r4", "r3");
        assertThat(order(runs, "params.p, metrics.auc DESC")).containsExactly("r5", "r2", "r1", "r4", "r3");
    }

    @Test
    void attributes() {
        assertThat(order(runs, "attributes.start_time")).containsExactly("r1", "r3", "r5", "r2", "r4");
        assertThat(order(runs, "created DESC")).containsExactly("r4", "r2", "r5", "r3", "r1");
        assertThat(order(runs, "run_id DESC")).containsExactly("r5", "r4", "r3", "r2", "r1");
        List<RunRecord> ended = List.of(run("x").end(null).build(), run("y").end(5L).build(), run("z").end(9L).build());
        assertThat(order(ended, "end_time DESC")).containsExactly("z", "y", "x");
        assertThat(order(ended, "end_time")).containsExactly("y", "z", "x");
        List<RunRecord> named = List.of(run("x").name("b").status(RunStatus.RUNNING).build(),
                run("y").name("a").status(RunStatus.FAILED).build());
        assertThat(order(named, "run_name")).containsExactly("y", "x");
        assertThat(order(named, "status DESC")).containsExactly("x", "y");
    }

    @Test
    void tags() {
        List<RunRecord> tagged = List.of(run("x").tag("t", "b").build(), run("y").build(), run("z").tag("t", "a").build());
        assertThat(order(tagged, "tags.t")).containsExactly("z", "x", "y");
        assertThat(order(tagged, "tags.t DESC")).containsExactly("x", "z", "y");
    }

    @Test
    void infinitiesAreValuesNanAndMissingComeLast() {
        List<RunRecord> values = List.of(run("nan").metric("x", Double.NaN).build(),
                run("inf").metric("x", Double.POSITIVE_INFINITY).build(),
                run("-inf").metric("x", Double.NEGATIVE_INFINITY).build(), run("-1000").metric("x", -1000).build(),
                run("0").metric("x", 0).build(), run("1000").metric("x", 1000).build(), run("none").build());
        assertThat(order(values, "metrics.x asc")).containsExactly("-inf", "-1000", "0", "1000", "inf", "nan", "none");
        assertThat(order(values, "metrics.x desc")).containsExactly("inf", "1000", "0", "-1000", "-inf", "nan", "none");
    }

    @Test
    void negativeZeroEqualsZero() {
        List<RunRecord> zeros = List.of(run("b").start(1).metric("m", 0.0).build(), run("a").start(1).metric("m", -0.0).build());
        assertThat(order(zeros, "metrics.m")).containsExactly("a", "b");
    }
}
