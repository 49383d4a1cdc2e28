package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.Kiln;
import dev.kiln.experiments.MetricPoint;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln train} as a script would call it. */
class TrainCommandTest {
    @TempDir
    Path dir;

    private CliRun kiln(String... args) {
        return CliRun.in(dir.resolve("ws"), args);
    }

    @BeforeEach
    void table() {
        try (Kiln kiln = Kiln.open(dir.resolve("ws"))) {
            kiln.lakehouse().createSchema("ml");
            kiln.lakehouse().createTable(TableDefinition.builder("ml.churn").schema("tenure DOUBLE, spend DOUBLE, churned INT").build())
                    .append(WriteSource.query("SELECT (i % 53)::DOUBLE AS tenure, ((i * 31) % 97)::DOUBLE AS spend, "
                            + "CASE WHEN (i % 53) < 12 AND ((i * 31) % 97) > 30 THEN 1 ELSE 0 END AS churned FROM range(2000) r(i)"));
        }
    }

    @Test
    void trainsInANewRunAndPrintsItsMetricsAndModelUri() throws Exception {
        CliRun r = kiln("train", "--experiment", "churn", "--table", "ml.churn", "--label", "churned", "--rounds", "6",
                "--param", "max_depth=3", "--param", "objective=binary:logistic", "--format", "jsonl");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode out = r.jsonLines().get(0);
        String runId = out.get("run_id").asText();
        assertThat(out.get("rounds").asInt()).isEqualTo(6);
        assertThat(out.get("model_uri").asText()).isEqualTo("runs:/" + runId + "/model/model.json");
        assertThat(out.get("metrics").fieldNames()).toIterable().containsExactlyInAnyOrder("train-logloss", "eval-logloss");
        try (Kiln kiln = Kiln.open(dir.resolve("ws"))) {
            assertThat(kiln.experiments().getRun(runId).data().params()).containsEntry("max_depth", "3").containsEntry("eval_fraction", "0.2");
            List<MetricPoint> history = kiln.experiments().metricHistory(runId, "eval-logloss");
            assertThat(history).extracting(MetricPoint::step).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        }
    }

    @Test
    void noTrainMetricsEvaluatesOnlyTheHeldOutRows() throws Exception {
        CliRun r = kiln("train", "--experiment", "churn", "--table", "ml.churn", "--label", "churned", "--rounds", "4",
                "--param", "objective=binary:logistic", "--no-train-metrics", "--format", "jsonl");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode out = r.jsonLines().get(0);
        assertThat(out.get("metrics").fieldNames()).toIterable().containsExactly("eval-logloss");
        try (Kiln kiln = Kiln.open(dir.resolve("ws"))) {
            assertThat(kiln.experiments().metricHistory(out.get("run_id").asText(), "train-logloss")).isEmpty();
        }
    }

    @Test
    void earlyStoppingWithNothingEvaluatedIsRefusedBeforeARunStarts() throws Exception {
        CliRun r = kiln("train", "--experiment", "churn", "--table", "ml.churn", "--label", "churned", "--eval-fraction", "0",
                "--no-train-metrics", "--early-stopping", "3");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("Early stopping").contains("evalFraction");
        // refused before anything was written: not even the experiment exists
        CliRun runs = kiln("runs", "search", "--experiment", "churn", "--format", "jsonl");
        assertThat(runs.code()).isNotZero();
        assertThat(runs.err()).contains("'churn' does not exist");
    }

    @Test
    void aRunWhoseTrainingFailsIsMarkedFailed() throws Exception {
        CliRun r = kiln("train", "--experiment", "churn", "--table", "ml.churn", "--label", "no_such_column");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("no_such_column");
        CliRun runs = kiln("runs", "search", "--experiment", "churn", "--format", "jsonl");
        assertThat(runs.jsonLines()).singleElement().satisfies(run -> assertThat(run.get("status").asText()).isEqualTo("FAILED"));
    }

    @Test
    void aParameterWithoutAValueIsRefused() {
        CliRun r = kiln("train", "--experiment", "churn", "--table", "ml.churn", "--label", "churned", "--param", "max_depth");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--param takes key=value");
    }
}
