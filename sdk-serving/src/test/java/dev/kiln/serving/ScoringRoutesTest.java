package dev.kiln.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.InvalidArgumentException;
import dev.kiln.Kiln;
import dev.kiln.NotFoundException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every scoring route and request format, and every client error, through a real server and client on loopback. */
class ScoringRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";
    @TempDir
    static Path dir;
    private static Kiln kiln;
    private static KilnServer server;
    private static ServingFixture.Http http;

    @BeforeAll
    static void start() throws Exception {
        kiln = ServingFixture.create(dir.resolve("ws"), dir.resolve("models"), 2);
        server = KilnServer.builder(kiln).model("models:/churn@champion").port(0).maxBatchRows(3).maxRequestBytes(2048).start();
        http = new ServingFixture.Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
        kiln.close();
    }

    private static JsonNode predictions(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(JSON_TYPE));
        assertThat(r.headers().firstValue(KilnServer.VERSION_HEADER)).hasValue("1");
        return JSON.readTree(r.body()).get("predictions");
    }

    private static JsonNode error(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(JSON_TYPE));
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("error_code").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
        return body;
    }

    @Test
    void mlflowJsonFormatsScoreWithTheAliasedVersion() throws Exception {
        assertThat(predictions(http.post("/invocations", JSON_TYPE,
                "{\"dataframe_split\": {\"columns\": [\"spend\", \"tenure\"], \"data\": [[40.0, 3], [12.5, 30]]}}")).toString())
                .isEqualTo("[101.0,102.0]");
        assertThat(predictions(http.post("/invocations", JSON_TYPE,
                "{\"dataframe_split\": {\"index\": [0], \"data\": [[30, 1.5]]}}")).toString()).isEqualTo("[102.0]");
        assertThat(predictions(http.post("/invocations", JSON_TYPE,
                "{\"dataframe_records\": [{\"tenure\": 3, \"spend\": 1}, {\"spend\": 2}, {\"tenure\": null, \"spend\": 3}]}")).toString())
                .as("an absent or null value is missing and goes left").isEqualTo("[101.0,101.0,101.0]");
        assertThat(predictions(http.post("/invocations", JSON_TYPE, "{\"instances\": [[30, 1], [2, 1]]}")).toString())
                .isEqualTo("[102.0,101.0]");
        assertThat(predictions(http.post("/invocations", JSON_TYPE, "{\"instances\": [{\"tenure\": 30, \"spend\": 1}]}")).toString())
                .isEqualTo("[102.0]");
        assertThat(predictions(http.post("/invocations", "application/json; charset=utf-8",
                "{\"inputs\": {\"tenure\": [30, 3, 11], \"spend\": [1, 1, true]}}")).toString()).isEqualTo("[102.0,101.0,102.0]");
        assertThat(predictions(http.post("/invocations", JSON_TYPE, "{\"inputs\": [[30, NaN]], \"params\": {}}")).toString())
                .isEqualTo("[102.0]");
        assertThat(predictions(http.post("/models/churn/invocations", JSON_TYPE, "{\"inputs\": [[30, 0]]}")).toString())
                .isEqualTo("[102.0]");
    }

    @Test
    void mlflowCsv() throws Exception {
        assertThat(predictions(http.post("/invocations", "text/csv", "spend,tenure\n1.5,30\n,\n\"2\",4\n")).toString())
                .isEqualTo("[102.0,101.0,101.0]");
    }

    @Test
    void requestsThatDoNotFitTheSignatureAreClear400s() throws Exception {
        JsonNode unknown = error(http.post("/invocations", JSON_TYPE, "{\"dataframe_records\": [{\"tenure\": 3, \"age\": 4, \"spend\": 1}]}"),
                400, "INVALID_PARAMETER_VALUE");
        assertThat(unknown.get("message").asText()).contains("'age'").contains("[tenure, spend]");
        assertThat(error(http.post("/invocations", JSON_TYPE, "{\"dataframe_split\": {\"columns\": [\"tenure\"], \"data\": [[3]]}}"),
                400, "INVALID_PARAMETER_VALUE").get("message").asText()).contains("[spend]").contains("null for a missing value");
        assertThat(error(http.post("/invocations", JSON_TYPE, "{\"instances\": [[1, 2, 3]]}"), 400, "INVALID_PARAMETER_VALUE")
                .get("message").asText()).contains("3 values").contains("2 inputs");
        assertThat(error(http.post("/invocations", JSON_TYPE, "{\"instances\": [[\"x\", 2]]}"), 400, "INVALID_PARAMETER_VALUE")
                .get("message").asText()).contains("'tenure' is numeric").contains("'x'");
        assertThat(error(http.post("/invocations", JSON_TYPE, "{\"instances\": [[[1], 2]]}"), 400, "INVALID_PARAMETER_VALUE")
                .get("message").asText()).contains("array is not a value");
        assertThat(error(http.post("/invocations", JSON_TYPE, "{\"inputs\": {\"tenure\": [1, 2], \"spend\": [1]}}"), 400,
                "INVALID_PARAMETER_VALUE").get("message").asText()).contains("'spend'").contains("1 values");
        assertThat(error(http.post("/invocations", "text/csv", "tenure,spend\n1\n"), 400, "INVALID_PARAMETER_VALUE")
                .get("message").asText()).contains("line 2");
        assertThat(error(http.post("/invocations", "text/csv", "tenure,tenure\n1,2\n"), 400, "INVALID_PARAMETER_VALUE")
                .get("message").asText()).contains("twice");
    }

    @Test
    void malformedBodiesAndWrongMediaTypes() throws Exception {
        assertThat(error(http.post("/invocations", JSON_TYPE, "{\"instances\": [[1, 2]"), 400, "MALFORMED_REQUEST")
                .get("message").asText()).contains("not valid JSON");
        assertThat(error(http.post("/invocations", JSON_TYPE, ""), 400, "MALFORMED_REQUEST").get("message").asText()).contains("empty");
        assertThat(error(http.post("/invocations", JSON_TYPE, "[1, 2]"), 400, "MALFORMED_REQUEST").get("message").asText())
                .contains("JSON object");
        assertThat(error(http.post("/invocations", JSON_TYPE, "{\"rows\": []}"), 400, "MALFORMED_REQUEST").get("message").asText())
                .contains("Unknown key 'rows'");
        assertThat(error(http.post("/invocations", JSON_TYPE, "{}"), 400, "MALFORMED_REQUEST").get("message").asText())
                .contains("dataframe_records");
        assertThat(error(http.post("/invocations", JSON_TYPE, "{\"instances\": [], \"inputs\": []}"), 400, "MALFORMED_REQUEST")
                .get("message").asText()).contains("both");
        assertThat(error(http.post("/invocations", JSON_TYPE, "{\"inputs\": [[1, 2]], \"params\": {\"k\": 1}}"), 400,
                "MALFORMED_REQUEST").get("message").asText()).contains("takes no params");
        assertThat(error(http.post("/invocations", JSON_TYPE, "{\"dataframe_split\": [1]}"), 400, "MALFORMED_REQUEST")
                .get("message").asText()).contains("'columns' and 'data'");
        assertThat(error(http.post("/invocations", "text/plain", "1,2"), 415, "UNSUPPORTED_MEDIA_TYPE").get("message").asText())
                .contains("text/plain");
        assertThat(error(http.post("/invocations", null, "1,2"), 415, "UNSUPPORTED_MEDIA_TYPE").get("message").asText())
                .contains("Content-Type");
    }

    @Test
    void sizeAndBatchLimitsAnswer413() throws Exception {
        assertThat(error(http.post("/invocations", JSON_TYPE, "{\"instances\": [[1,2],[1,2],[1,2],[1,2]]}"), 413, "REQUEST_LIMIT_EXCEEDED")
                .get("message").asText()).contains("4 rows").contains("at most 3");
        String big = "{\"instances\": [[1, 2]], \"pad\": \"" + "x".repeat(3000) + "\"}";
        assertThat(error(http.post("/invocations", JSON_TYPE, big), 413, "REQUEST_LIMIT_EXCEEDED").get("message").asText())
                .contains("2048 bytes");
        error(http.post("/v2/models/churn/infer", JSON_TYPE,
                "{\"inputs\": [{\"name\": \"x\", \"shape\": [4, 2], \"datatype\": \"FP32\", \"data\": [1,2,1,2,1,2,1,2]}]}"), 413,
                "REQUEST_LIMIT_EXCEEDED");
    }

    @Test
    void unknownRoutesModelsAndMethods() throws Exception {
        assertThat(error(http.post("/models/nope/invocations", JSON_TYPE, "{\"inputs\": [[1, 2]]}"), 404, "RESOURCE_DOES_NOT_EXIST")
                .get("message").asText()).contains("'nope'").contains("[churn]");
        assertThat(error(http.get("/v2/models/nope/ready"), 404, "RESOURCE_DOES_NOT_EXIST").get("error").asText()).contains("nope");
        error(http.get("/no/such/route"), 404, "ENDPOINT_NOT_FOUND");
        // a known path with the wrong method is answered like an unknown route, in JSON
        assertThat(error(http.get("/invocations"), 404, "ENDPOINT_NOT_FOUND").get("message").asText()).contains("GET /invocations");
    }

    @Test
    void pingAndHealthAnswerForProbes() throws Exception {
        for (String probe : new String[] {"/ping", "/health"}) {
            HttpResponse<String> r = http.get(probe);
            assertThat(r.statusCode()).as(probe).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).isObject()).as(probe).isTrue();
        }
    }

    @Test
    void openInferenceProtocol() throws Exception {
        assertThat(JSON.readTree(http.get("/v2/health/live").body()).get("live").asBoolean()).isTrue();
        assertThat(JSON.readTree(http.get("/v2/health/ready").body()).get("ready").asBoolean()).isTrue();
        HttpResponse<String> ready = http.get("/v2/models/churn/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("ready").asBoolean()).isTrue();
        JsonNode meta = JSON.readTree(http.get("/v2/models/churn").body());
        assertThat(meta.get("inputs").get(1).get("name").asText()).isEqualTo("spend");
        assertThat(meta.get("versions").get(0).asText()).isEqualTo("1");
        assertThat(JSON.readTree(http.get("/v2").body()).get("name").asText()).isEqualTo("kiln");

        HttpResponse<String> whole = http.post("/v2/models/churn/infer", JSON_TYPE, "{\"id\": \"r-1\", \"inputs\": [{\"name\": \"input-0\", "
                + "\"shape\": [2, 2], \"datatype\": \"FP32\", \"data\": [[30, 1], [3, 1]]}]}");
        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
        JsonNode out = JSON.readTree(whole.body());
        assertThat(out.get("model_name").asText()).isEqualTo("churn");
        assertThat(out.get("model_version").asText()).isEqualTo("1");
        assertThat(out.get("id").asText()).isEqualTo("r-1");
        assertThat(out.get("outputs").get(0).get("shape").toString()).isEqualTo("[2]");
        assertThat(out.get("outputs").get(0).get("data").toString()).isEqualTo("[102.0,101.0]");

        HttpResponse<String> named = http.post("/v2/models/churn/infer", JSON_TYPE, "{\"inputs\": ["
                + "{\"name\": \"spend\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [1.5, 2.5]},"
                + "{\"name\": \"tenure\", \"shape\": [2, 1], \"datatype\": \"INT64\", \"data\": [3, 40]}]}");
        assertThat(JSON.readTree(named.body()).get("outputs").get(0).get("data").toString()).as(named.body()).isEqualTo("[101.0,102.0]");

        assertThat(error(http.post("/v2/models/churn/infer", JSON_TYPE, "{\"inputs\": [{\"name\": \"tenure\", \"shape\": [2], "
                + "\"datatype\": \"FP32\", \"data\": [1, 2]}]}"), 400, "INVALID_PARAMETER_VALUE").get("error").asText()).contains("[spend]");
        assertThat(error(http.post("/v2/models/churn/infer", JSON_TYPE, "{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 2], "
                + "\"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}"), 400, "INVALID_PARAMETER_VALUE").get("error").asText())
                .contains("4 values").contains("3 values");
        assertThat(error(http.post("/v2/models/churn/infer", JSON_TYPE, "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], "
                + "\"datatype\": \"COMPLEX\", \"data\": [1, 2]}]}"), 400, "INVALID_PARAMETER_VALUE").get("error").asText()).contains("COMPLEX");
        error(http.post("/v2/models/churn/infer", JSON_TYPE, "{\"outputs\": []}"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void scoringByEntityKeyFetchesFeaturesFromTheOnlineStore() throws Exception {
        assertThat(predictions(http.post("/models/churn/by-key", JSON_TYPE,
                "{\"dataframe_records\": [{\"customer_id\": 1}, {\"customer_id\": 2}, {\"customer_id\": 1, \"tenure\": 50}]}")).toString())
                .as("customer 1 has tenure 3, customer 2 tenure 30; a request value overrides the stored one").isEqualTo("[101.0,102.0,102.0]");
        assertThat(error(http.post("/models/churn/by-key", JSON_TYPE, "{\"dataframe_records\": [{\"id\": 1}]}"), 400,
                "INVALID_PARAMETER_VALUE").get("message").asText()).contains("customer_id");
        error(http.post("/models/churn/by-key", JSON_TYPE, "{\"keys\": [1]}"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void byKeyFeaturesFollowNewFeatureTableCommits() throws Exception {
        try (Kiln own = ServingFixture.create(dir.resolve("ws-refresh"), dir.resolve("models-refresh"), 1);
                KilnServer refreshing = KilnServer.builder(own).model("models:/churn@champion").port(0)
                        .featureRefresh(java.time.Duration.ofMillis(100)).start()) {
            ServingFixture.Http client = new ServingFixture.Http(refreshing.port());
            String customer1 = "{\"dataframe_records\": [{\"customer_id\": 1}]}";
            assertThat(predictions(client.post("/models/churn/by-key", JSON_TYPE, customer1)).toString()).isEqualTo("[101.0]");
            // customer 1's tenure grows past the model's split; the server picks the new commit up without a restart
            own.features().table("fs.customers").append(dev.kiln.lakehouse.WriteSource.query(
                    "SELECT 1::BIGINT AS customer_id, TIMESTAMP '2025-02-01' AS as_of, 30.0::DOUBLE AS tenure, 40.0::DOUBLE AS spend"));
            String seen = null;
            for (int i = 0; i < 200 && !"[102.0]".equals(seen); i++) {
                Thread.sleep(50);
                seen = predictions(client.post("/models/churn/by-key", JSON_TYPE, customer1)).toString();
            }
            assertThat(seen).as("by-key score after the feature table moved").isEqualTo("[102.0]");
        }
        assertThatThrownBy(() -> KilnServer.builder(kiln).featureRefresh(java.time.Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("refresh");
    }

    @Test
    void metricsInPrometheusTextFormat() throws Exception {
        http.post("/invocations", JSON_TYPE, "{\"inputs\": [[1, 2]]}");
        http.post("/invocations", JSON_TYPE, "{\"inputs\": [[1, 2, 3]]}");
        HttpResponse<String> r = http.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        assertThat(r.body())
                .contains("# TYPE kiln_requests_total counter")
                .containsPattern("kiln_requests_total\\{route=\"/invocations\",status=\"200\"} [1-9]")
                .containsPattern("kiln_request_errors_total\\{route=\"/invocations\",status=\"400\"} [1-9]")
                .contains("# TYPE kiln_request_duration_seconds histogram")
                .containsPattern("kiln_request_duration_seconds_bucket\\{route=\"/invocations\",le=\"\\+Inf\"} [1-9]")
                .containsPattern("kiln_request_duration_seconds_count\\{route=\"/invocations\"} [1-9]")
                .containsPattern("kiln_predictions_total\\{model=\"churn\",version=\"1\"} [1-9]")
                .contains("kiln_model_version{model=\"churn\",uri=\"models:/churn@champion\"} 1");
    }

    @Test
    void builderRefusesBadConfiguration() {
        assertThatThrownBy(() -> KilnServer.builder(kiln).start()).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("model(");
        assertThatThrownBy(() -> KilnServer.builder(kiln).model("models:/nope@champion").port(0).start()).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> KilnServer.builder(kiln).model("runs:/abc/model").port(0).start())
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("register it first");
        assertThatThrownBy(() -> KilnServer.builder(kiln).port(70000)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> KilnServer.builder(kiln).model("models:/churn/1").model("models:/churn@champion").port(0).start())
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("twice");
    }
}
