package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.Kiln;
import dev.kiln.models.TableRef;
import dev.kiln.models.TrainingLineage;
import dev.kiln.models.VersionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln models}, {@code kiln grants} and {@code kiln audit} as a script would call them, with the real XGBoost predictor. */
class ModelsCommandTest {
    @TempDir
    Path dir;

    private CliRun kiln(String... args) {
        return CliRun.in(dir.resolve("ws"), args);
    }

    /** A two-leaf XGBoost JSON model scoring {@code 1001 * value} on every row. */
    private Path model(int value) throws Exception {
        String leaf = "{\"tree_param\":{\"num_nodes\":\"1\",\"size_leaf_vector\":\"1\"},\"left_children\":[-1],\"right_children\":[-1],"
                + "\"split_indices\":[0],\"split_conditions\":[%s],\"default_left\":[0],\"split_type\":[0],\"sum_hessian\":[1.0]}";
        String json = "{\"learner\":{\"feature_names\":[\"tenure\",\"spend\"],\"feature_types\":[\"float\",\"float\"],"
                + "\"learner_model_param\":{\"base_score\":\"0E0\",\"num_class\":\"0\",\"num_feature\":\"2\",\"num_target\":\"1\"},"
                + "\"objective\":{\"name\":\"reg:squarederror\"},\"gradient_booster\":{\"name\":\"gbtree\",\"model\":{"
                + "\"gbtree_model_param\":{\"num_parallel_tree\":\"1\",\"num_trees\":\"2\"},\"tree_info\":[0,0],\"trees\":["
                + String.format(leaf, 1000f * value) + "," + String.format(leaf, (float) value) + "]}}}}";
        Path file = dir.resolve("m" + value + ".json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void registerListAliasLineageAndAudit() throws Exception {
        CliRun r1 = kiln("--as", "alice", "models", "register", "churn", "--file", model(1).toString());
        assertThat(r1.code()).as(r1.err()).isZero();
        assertThat(r1.out()).contains("models:/churn/1").contains("2 features");
        Path runModel = dir.resolve("ws/artifacts/exp1/run9/artifacts/model/model.json");
        Files.createDirectories(runModel.getParent());
        Files.copy(model(2), runModel);
        CliRun r2 = kiln("--as", "alice", "models", "register", "churn", "--run", "run9");
        assertThat(r2.code()).as(r2.err()).isZero();
        assertThat(kiln("--as", "alice", "models", "alias", "set", "churn", "champion", "2").code()).isZero();

        List<JsonNode> versions = kiln("--as", "alice", "models", "versions", "churn", "--format", "jsonl").jsonLines();
        assertThat(versions).hasSize(2);
        assertThat(versions.get(1).get("run_id").asText()).isEqualTo("run9");
        assertThat(versions.get(1).get("aliases").get(0).asText()).isEqualTo("champion");
        assertThat(versions.get(0).get("features").get(0).get("name").asText()).isEqualTo("tenure");
        assertThat(kiln("--as", "alice", "models", "versions", "churn").out()).contains("@champion");

        try (Kiln kiln = Kiln.builder().root(dir.resolve("ws")).principal(dev.kiln.Principal.of("alice")).open()) {
            assertThat(kiln.models().load("models:/churn@champion").predict(new float[] {1, 2})).isEqualTo(2002f);
            kiln.models().register(VersionSpec.builder("churn").fromFile(model(3)).lineage(TrainingLineage.builder()
                    .spine(TableRef.of("sales.labels", 1)).featureTable(TableRef.of("fs.a", 2), TableRef.of("sales.orders", 3)).build()).build());
        }
        CliRun dot = kiln("--as", "alice", "models", "lineage", "churn/3", "--format", "dot");
        assertThat(dot.code()).as(dot.err()).isZero();
        assertThat(dot.out()).startsWith("digraph lineage {").contains("\"table:sales.orders@3\" -> \"feature_table:fs.a@2\"");
        assertThat(kiln("--as", "alice", "models", "lineage", "churn@champion").out()).contains("<- run run9");
        assertThat(kiln("--as", "alice", "models", "lineage", "churn/3", "--format", "jsonl").jsonLines()).hasSizeGreaterThan(3);

        // bob may not move the alias until alice grants MANAGE
        CliRun denied = kiln("--as", "bob", "models", "alias", "set", "churn", "champion", "1");
        assertThat(denied.code()).isEqualTo(1);
        assertThat(denied.err()).contains("MANAGE").contains("model churn");
        CliRun grant = kiln("--as", "alice", "grants", "grant", "MANAGE", "ON", "model", "churn", "TO", "bob");
        assertThat(grant.code()).as(grant.err()).isZero();
        assertThat(kiln("--as", "bob", "models", "alias", "set", "churn", "champion", "1").code()).isZero();
        assertThat(kiln("--as", "alice", "grants", "list", "model", "churn").out()).contains("MANAGE bob");
        assertThat(kiln("--as", "alice", "grants", "revoke", "MANAGE", "ON", "model", "churn", "FROM", "bob").code()).isZero();

        List<JsonNode> audit = kiln("--as", "alice", "audit", "--format", "jsonl").jsonLines();
        assertThat(audit).anyMatch(e -> e.get("principal").asText().equals("bob") && e.get("action").asText().equals("model.alias.set")
                && e.get("outcome").asText().equals("DENIED"));
        assertThat(audit).anyMatch(e -> e.get("principal").asText().equals("bob") && e.get("action").asText().equals("model.alias.set")
                && e.get("outcome").asText().equals("ALLOWED") && e.get("details").get("version").asText().equals("1"));
        assertThat(audit).anyMatch(e -> e.get("action").asText().equals("grant"));
    }

    @Test
    void usageErrorsExitTwoAndKilnErrorsOne() throws Exception {
        assertThat(kiln("models", "register", "churn").code()).isEqualTo(2);
        assertThat(kiln("models", "register", "churn", "--file", "a.json", "--run", "r").code()).isEqualTo(2);
        assertThat(kiln("models", "versions", "churn", "--format", "xml").code()).isEqualTo(2);
        assertThat(kiln("grants", "grant", "FLY", "ON", "model", "churn", "TO", "bob").code()).isEqualTo(2);
        assertThat(kiln("grants", "grant", "READ", "IN", "model", "churn", "TO", "bob").code()).isEqualTo(2);
        assertThat(kiln("grants", "grant", "READ", "ON", "planet", "churn", "TO", "bob").code()).isEqualTo(2);
        assertThat(kiln("audit", "--format", "xml").code()).isEqualTo(2);
        CliRun missing = kiln("models", "versions", "nope");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("nope");
        assertThat(kiln("models", "register", "churn", "--file", dir.resolve("none.json").toString()).code()).isEqualTo(1);
        assertThat(kiln("models", "lineage", "churn@x@y").code()).isEqualTo(1);
        assertThat(kiln("models", "register", "churn", "--file", model(1).toString()).code()).isZero();
        assertThat(kiln("models", "alias", "set", "churn", "champion", "9").code()).isEqualTo(1);
    }
}
