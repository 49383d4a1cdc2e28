package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.Kiln;
import dev.kiln.KilnException;
import dev.kiln.Principal;
import dev.kiln.experiments.DatasetInput;
import dev.kiln.experiments.Run;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import dev.kiln.models.VersionSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MonitorCommandTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
        List<JsonNode> json() throws Exception {
            List<JsonNode> l = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    l.add(new ObjectMapper().readTree(line));
                }
            }
            return l;
        }
    }

    private Result kiln(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--workspace", dir.resolve("ws").toString(), "--as", "a"));
        all.addAll(List.of(args));
        CommandLine cli = new CommandLine(new KilnCli());
        if (!cli.getSubcommands().containsKey("monitor")) {
            cli.addSubcommand("monitor", new MonitorCommand());
        }
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println("error: " + e.getMessage());
            return 1;
        });
        int code = cli.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    /** A one-tree regression model over the given feature, as XGBoost writes it in JSON. */
    static String oneFeatureModel(String feature) {
        String tree = "{\"tree_param\":{\"num_nodes\":\"1\",\"size_leaf_vector\":\"1\"},\"left_children\":[-1],\"right_children\":[-1],"
                + "\"split_indices\":[0],\"split_conditions\":[0.5],\"default_left\":[0],\"split_type\":[0],\"sum_hessian\":[1.0]}";
        return "{\"learner\":{\"feature_names\":[\"" + feature + "\"],\"feature_types\":[\"float\"],"
                + "\"learner_model_param\":{\"base_score\":\"0E0\",\"num_class\":\"0\",\"num_feature\":\"1\",\"num_target\":\"1\"},"
                + "\"objective\":{\"name\":\"reg:squarederror\"},\"gradient_booster\":{\"name\":\"gbtree\",\"model\":{"
                + "\"gbtree_model_param\":{\"num_parallel_tree\":\"1\",\"num_trees\":\"1\"},\"tree_info\":[0],\"trees\":[" + tree + "]}}}}";
    }

    @Test
    void profileAndRunWithExitCodes() throws Exception {
        Instant now = Instant.now();
        try (Kiln kiln = Kiln.builder().root(dir.resolve("ws")).principal(Principal.of("a")).open()) {
            kiln.lakehouse().createSchemaIfNotExists("ml");
            kiln.lakehouse().createSchemaIfNotExists("inference");
            Table train = kiln.lakehouse().createTable(TableDefinition.builder("ml.train").schema("x DOUBLE, label DOUBLE").build());
            Table inf = kiln.lakehouse().createTable(TableDefinition.builder("inference.churn")
                    .schema("ts TIMESTAMP, model_name STRING, model_version BIGINT, request_id STRING, latency_us BIGINT, x DOUBLE, prediction DOUBLE, label DOUBLE").build());
            Random r = new Random(5);
            List<Object[]> a = new ArrayList<>();
            List<Object[]> b = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                a.add(new Object[] {r.nextGaussian(), (double) (i % 2)});
                long v = i % 2 == 0 ? 1 : 2;
                double x = r.nextGaussian() + (v == 2 ? 2 : 0);
                b.add(new Object[] {now.minusSeconds(60 + i), "churn", v, "r" + i, 10L, x, 0.5, null});
            }
            train.append(WriteSource.values(a));
            inf.append(WriteSource.values(b));
            // versions 1 and 2 of churn, trained on ml.train@1 as their run records
            for (int v = 1; v <= 2; v++) {
                try (Run run = kiln.experiments().startRun("churn-training")) {
                    run.logInput(new DatasetInput("ml.train", 1, DatasetInput.TRAIN, null));
                    run.logText("model/model.json", oneFeatureModel("x"));
                    run.flush();
                    kiln.models().register(VersionSpec.builder("churn").fromRun("runs:/" + run.id() + "/model/model.json").build());
                }
            }
            kiln.models().setAlias("churn", "champion", 2);
            java.nio.file.Files.writeString(dir.resolve("loose.json"), oneFeatureModel("x"));
            kiln.models().register(VersionSpec.builder("churn").fromFile(dir.resolve("loose.json")).build()); // version 3, no run
        }
        Result profile = kiln("monitor", "profile", "inference.churn", "--format", "jsonl");
        assertThat(profile.code()).as(profile.err()).isZero();
        List<JsonNode> p = profile.json();
        assertThat(p.get(0).get("rows").asLong()).isEqualTo(1000);
        assertThat(p.get(0).get("freshness_seconds").asDouble()).isBetween(59.0, 3600.0);
        assertThat(p).anySatisfy(n -> assertThat(n.path("column").asText()).isEqualTo("label"));
        assertThat(kiln("monitor", "profile", "inference.churn").code()).isZero();

        Result quiet = kiln("monitor", "run", "models:/churn/1", "--baseline", "ml.train@1", "--window", "1d", "--format", "jsonl");
        assertThat(quiet.code()).as(quiet.err() + quiet.out()).isZero();
        assertThat(quiet.json()).anySatisfy(n -> {
            assertThat(n.get("feature").asText()).isEqualTo("*");
            assertThat(n.get("statistic").asText()).isEqualTo("rows");
            assertThat(n.get("value").asDouble()).isEqualTo(500);
        });
        Result loud = kiln("monitor", "run", "models:/churn/2", "--baseline", "ml.train", "--window", "1d");
        assertThat(loud.code()).as(loud.err() + loud.out()).isEqualTo(3);
        assertThat(loud.err()).contains("alert:", "psi");
        // no --baseline: the version's training data (ml.train@1, from its run); an alias resolves to its version
        Result byAlias = kiln("monitor", "run", "models:/churn@champion", "--window", "1d", "--format", "jsonl");
        assertThat(byAlias.code()).as(byAlias.err() + byAlias.out()).isEqualTo(3);
        assertThat(byAlias.json()).allSatisfy(n -> {
            assertThat(n.get("target").asText()).isEqualTo("inference.churn");
            assertThat(n.get("baseline").asText()).isEqualTo("ml.train");
            assertThat(n.get("baseline_version").asLong()).isEqualTo(1);
        });
        assertThat(byAlias.json()).anySatisfy(n -> {
            assertThat(n.get("statistic").asText()).isEqualTo("rows");
            assertThat(n.get("value").asDouble()).isEqualTo(500);
        });
        Result untraced = kiln("monitor", "run", "models:/churn/3");
        assertThat(untraced.code()).isEqualTo(1);
        assertThat(untraced.err()).contains("churn/3", "records no training table", "--baseline");
        Result unknown = kiln("monitor", "run", "models:/churn@nobody");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("nobody");
        Result old = kiln("monitor", "run", "inference.churn", "--baseline", "ml.train", "--window", "1h",
                "--end", now.minus(Duration.ofDays(2)).toString(), "--threshold", "x:mean>5");
        assertThat(old.code()).as(old.err()).isZero(); // empty window: no alerts
        assertThat(kiln("monitor", "run", "inference.churn", "--baseline", "ml.train", "--window", "yesterday").code()).isEqualTo(2);
        assertThat(kiln("monitor", "run", "inference.churn", "--baseline", "ml.nope").code()).isEqualTo(1);
        assertThat(kiln("monitor", "run", "inference.churn").code()).isEqualTo(2);
    }
}
