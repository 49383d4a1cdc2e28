package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln serve} as a real process, stopped with SIGTERM, and the automation commands a CI job
 * chains (register, promote, tokens, grants) with {@code --format jsonl}.
 */
class ServeCommandTest {
    @TempDir
    Path dir;

    private CliRun kiln(String... args) {
        return CliRun.in(dir.resolve("ws"), args);
    }

    /** A one-tree XGBoost JSON model over {@code tenure, spend} scoring the constant {@code value}. */
    private Path model(int value) throws Exception {
        String json = "{\"learner\":{\"feature_names\":[\"tenure\",\"spend\"],\"feature_types\":[\"float\",\"float\"],"
                + "\"learner_model_param\":{\"base_score\":\"0E0\",\"num_class\":\"0\",\"num_feature\":\"2\",\"num_target\":\"1\"},"
                + "\"objective\":{\"name\":\"reg:squarederror\"},\"gradient_booster\":{\"name\":\"gbtree\",\"model\":{"
                + "\"gbtree_model_param\":{\"num_parallel_tree\":\"1\",\"num_trees\":\"1\"},\"tree_info\":[0],\"trees\":["
                + "{\"tree_param\":{\"num_nodes\":\"1\",\"size_leaf_vector\":\"1\"},\"left_children\":[-1],\"right_children\":[-1],"
                + "\"split_indices\":[0],\"split_conditions\":[" + (float) value + "],\"default_left\":[0],\"split_type\":[0],"
                + "\"sum_hessian\":[1.0]}]}}}}";
        Path file = dir.resolve("m" + value + ".json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void pipelineCommandsPrintJsonLines() throws Exception {
        List<JsonNode> registered = kiln("--as", "alice", "models", "register", "churn", "--file", model(7).toString(), "--alias", "champion",
                "--format", "jsonl").jsonLines();
        assertThat(registered).hasSize(1);
        assertThat(registered.get(0).get("version").asLong()).isEqualTo(1);
        assertThat(registered.get(0).get("aliases").get(0).asText()).isEqualTo("champion");
        assertThat(kiln("--as", "alice", "models", "register", "churn", "--file", model(8).toString()).code()).isZero();
        JsonNode promoted = kiln("--as", "alice", "models", "alias", "set", "churn", "champion", "2", "--format", "jsonl").jsonLines().get(0);
        assertThat(promoted.get("version").asLong()).isEqualTo(2);
        assertThat(kiln("--as", "alice", "grants", "grant", "MANAGE", "ON", "model", "churn", "TO", "ci").code()).isZero();
        JsonNode grant = kiln("--as", "alice", "grants", "list", "model", "churn", "--format", "jsonl").jsonLines().get(0);
        assertThat(grant.get("privilege").asText()).isEqualTo("MANAGE");
        assertThat(grant.get("principal").asText()).isEqualTo("ci");
        assertThat(grant.get("owner").asText()).isEqualTo("alice");

        JsonNode token = kiln("--as", "alice", "tokens", "create", "--for", "ci", "--description", "release job", "--format", "jsonl")
                .jsonLines().get(0);
        assertThat(token.get("token").asText()).startsWith("kiln_");
        assertThat(token.get("principal").asText()).isEqualTo("ci");
        List<JsonNode> listed = kiln("--as", "alice", "tokens", "list", "--format", "jsonl").jsonLines();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).has("token")).as("the secret is shown only once").isFalse();
        CliRun refused = kiln("--as", "ci", "tokens", "create", "--for", "ci");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("MANAGE");
        assertThat(kiln("--as", "alice", "tokens", "revoke", token.get("id").asText()).code()).isZero();
        assertThat(kiln("--as", "alice", "tokens", "revoke", token.get("id").asText()).code()).isEqualTo(1);
        assertThat(kiln("tokens", "create").code()).as("--for is required").isEqualTo(2);
        assertThat(kiln("models", "alias", "set", "churn", "champion", "1", "--format", "xml").code()).isEqualTo(2);
    }

    @Test
    void serveScoresUntilSigtermThenStopsGracefully() throws Exception {
        assertThat(kiln("--as", "alice", "models", "register", "churn", "--file", model(7).toString(), "--alias", "champion").code()).isZero();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                KilnCli.class.getName(), "--workspace", dir.resolve("ws").toString(), "--as", "alice", "serve",
                "--model", "models:/churn@champion", "--port", "0").redirectError(dir.resolve("serve.err").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("first line of kiln serve; stderr: " + Files.readString(dir.resolve("serve.err")))
                    .startsWith("serving models:/churn@champion as alice on http://127.0.0.1:");
            Matcher port = Pattern.compile(":(\\d+)$").matcher(line);
            assertThat(port.find()).isTrue();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.group(1)
                    + "/invocations")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [[1, 2]]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"predictions\":[7.0]}");

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kiln serve exits after SIGTERM").isTrue();
            assertThat(Files.readString(dir.resolve("serve.err"))).contains("kiln serve: stopped gracefully");
        } finally {
            p.destroyForcibly();
        }
    }
}
