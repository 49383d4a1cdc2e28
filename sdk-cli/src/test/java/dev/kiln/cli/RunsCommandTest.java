package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.Kiln;
import dev.kiln.experiments.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln runs search|show} as a script would call them. */
class RunsCommandTest {
    @TempDir
    Path dir;

    private final List<String> ids = new ArrayList<>();

    private CliRun kiln(String... args) {
        return CliRun.in(dir.resolve("ws"), args);
    }

    @BeforeEach
    void logRuns() {
        try (Kiln kiln = Kiln.open(dir.resolve("ws"))) {
            for (int i = 0; i < 5; i++) {
                try (Run run = kiln.experiments().startRun(dev.kiln.experiments.RunSpec.builder("churn").name("trial-" + i)
                        .startTime(1_000 + i).build())) {
                    ids.add(run.id());
                    run.logParam("max_depth", String.valueOf(4 + i % 3));
                    run.logMetric("auc", 0.7 + i * 0.05, 0);
                    run.logMetric("auc", 0.75 + i * 0.05, 1);
                    run.setTag("team", "growth");
                }
            }
        }
    }

    @Test
    void searchAsJsonLinesWithFilterOrderAndMax() throws Exception {
        CliRun r = kiln("runs", "search", "--experiment", "churn", "--filter", "metrics.auc > 0.8", "--order-by",
                "metrics.auc DESC", "--max", "2", "--format", "jsonl");
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> runs = r.jsonLines();
        assertThat(runs).hasSize(2);
        JsonNode first = runs.get(0);
        assertThat(first.get("run_id").asText()).isEqualTo(ids.get(4));
        assertThat(first.get("run_name").asText()).isEqualTo("trial-4");
        assertThat(first.get("status").asText()).isEqualTo("FINISHED");
        assertThat(first.get("start_time").asLong()).isEqualTo(1_004);
        assertThat(first.get("end_time").isNumber()).isTrue();
        assertThat(first.get("params").get("max_depth").asText()).isEqualTo("5");
        assertThat(first.get("metrics").get("auc").asDouble()).isEqualTo(0.95, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(first.get("tags").get("team").asText()).isEqualTo("growth");
        assertThat(runs.get(1).get("run_id").asText()).isEqualTo(ids.get(3));
    }

    @Test
    void searchDefaultsToNewestFirstInText() {
        CliRun r = kiln("runs", "search", "--experiment", "churn", "--filter", "params.max_depth = '4'");
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith(ids.get(3)).contains("trial-3");
        assertThat(lines[1]).startsWith(ids.get(0));
    }

    @Test
    void showOneRun() throws Exception {
        CliRun json = kiln("runs", "show", ids.get(2), "--format", "jsonl");
        assertThat(json.code()).as(json.err()).isZero();
        assertThat(json.jsonLines()).singleElement().satisfies(run -> {
            assertThat(run.get("run_id").asText()).isEqualTo(ids.get(2));
            assertThat(run.get("params").get("max_depth").asText()).isEqualTo("6");
        });
        CliRun text = kiln("runs", "show", ids.get(2));
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("run_id:        " + ids.get(2)).contains("max_depth = 6").contains("auc = 0.85");
    }

    @Test
    void errorsExitOneAndUsageErrorsTwo() {
        CliRun badFilter = kiln("runs", "search", "--experiment", "churn", "--filter", "metrics.auc >");
        assertThat(badFilter.code()).isEqualTo(1);
        assertThat(badFilter.err()).startsWith("error: ").contains("position");
        CliRun unknownRun = kiln("runs", "show", "0123456789abcdef0123456789abcdef");
        assertThat(unknownRun.code()).isEqualTo(1);
        assertThat(unknownRun.err()).contains("does not exist");
        CliRun unknownExperiment = kiln("runs", "search", "--experiment", "nope");
        assertThat(unknownExperiment.code()).isEqualTo(1);
        assertThat(kiln("runs", "search").code()).isEqualTo(2);
        assertThat(kiln("runs", "search", "--experiment", "churn", "--format", "xml").code()).isEqualTo(2);
        assertThat(kiln("runs", "search", "--experiment", "churn", "--max", "0").code()).isEqualTo(2);
        assertThat(kiln("runs", "show").code()).isEqualTo(2);
    }

    @Test
    void orderByListsSplitOutsideQuotes() {
        assertThat(RunsCommand.orderBy(List.of("metrics.auc DESC, `a,b` ASC", "start_time")))
                .containsExactly("metrics.auc DESC", "`a,b` ASC", "start_time");
    }
}
