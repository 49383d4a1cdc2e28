package dev.kiln.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.Kiln;
import dev.kiln.NotFoundException;
import dev.kiln.PermissionDeniedException;
import dev.kiln.Principal;
import dev.kiln.governance.AuditEvent;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry over REST and bearer tokens: each call acts as its token's principal under the workspace's grants. */
class RegistryApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private static String[] bearer(IssuedToken t) {
        return new String[] {"Authorization", "Bearer " + t.secret()};
    }

    private static JsonNode body(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    @Test
    void tokensActAsTheirPrincipalUnderItsGrants() throws Exception {
        try (Kiln kiln = ServingFixture.create(dir.resolve("ws"), dir.resolve("models"), 2)) {
            TokenStore tokens = TokenStore.of(kiln);
            IssuedToken reader = tokens.create(Principal.of("bob"), "reads the registry");
            IssuedToken releaser = tokens.create(Principal.of("carol"), "release pipeline");
            IssuedToken owner = tokens.create(ServingFixture.OWNER, "");
            kiln.governance().grant(Privilege.READ, Securable.model("churn"), Principal.of("bob"));
            kiln.governance().grant(Privilege.READ, Securable.model("churn"), Principal.of("carol"));
            kiln.governance().grant(Privilege.MANAGE, Securable.model("churn"), Principal.of("carol"));
            assertThat(Files.readString(kiln.root().resolve(TokenStore.FILE))).doesNotContain(reader.secret())
                    .contains(TokenStore.sha256(reader.secret()));
            assertThat(tokens.list()).extracting(t -> t.principal().name()).containsExactly("bob", "carol", "alice");

            try (KilnServer server = KilnServer.builder(kiln).model("models:/churn@champion").port(0).start()) {
                ServingFixture.Http http = new ServingFixture.Http(server.port());
                String models = "/api/2.0/kiln/models";

                JsonNode none = body(http.get(models), 401);
                assertThat(none.get("error_code").asText()).isEqualTo("UNAUTHENTICATED");
                assertThat(none.get("message").asText()).contains("Authorization: Bearer");
                assertThat(http.get(models).headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
                assertThat(body(http.get(models, "Authorization", "Bearer kiln_not-a-token"), 401).get("message").asText()).contains("unknown");
                assertThat(body(http.get(models, "Authorization", "Basic YWxpY2U6eA=="), 401).get("message").asText()).contains("Bearer");

                JsonNode listed = body(http.get(models, bearer(reader)), 200).get("registered_models");
                assertThat(listed).hasSize(1);
                assertThat(listed.get(0).get("name").asText()).isEqualTo("churn");
                assertThat(listed.get(0).get("latest_version").asLong()).isEqualTo(2);
                assertThat(listed.get(0).get("aliases").get(0).get("alias").asText()).isEqualTo("champion");
                assertThat(body(http.get(models + "?filter=name%20LIKE%20'x%25'", bearer(reader)), 200).get("registered_models")).isEmpty();
                assertThat(body(http.get(models + "/churn", bearer(reader)), 200).get("registered_model").get("creator").asText())
                        .isEqualTo("alice");
                JsonNode versions = body(http.get(models + "/churn/versions", bearer(reader)), 200).get("model_versions");
                assertThat(versions).hasSize(2);
                assertThat(versions.get(0).get("aliases").get(0).asText()).isEqualTo("champion");
                assertThat(versions.get(1).get("signature").get("inputs").get(0).get("name").asText()).isEqualTo("tenure");
                assertThat(body(http.get(models + "/churn/versions/2", bearer(reader)), 200).get("model_version").get("version").asLong())
                        .isEqualTo(2);
                assertThat(body(http.get(models + "/churn/versions/9", bearer(reader)), 404).get("error_code").asText())
                        .isEqualTo("RESOURCE_DOES_NOT_EXIST");
                assertThat(body(http.get(models + "/churn/versions/two", bearer(reader)), 400).get("message").asText()).contains("'two'");
                assertThat(body(http.get(models + "/nope", bearer(reader)), 404).get("message").asText()).contains("nope");

                // bob may read but not move @champion: 403 naming the missing privilege, and nothing changes
                JsonNode refused = body(http.put(models + "/churn/aliases/champion", "{\"version\": 2}", bearer(reader)), 403);
                assertThat(refused.get("error_code").asText()).isEqualTo("PERMISSION_DENIED");
                assertThat(refused.get("message").asText()).contains("MANAGE").contains("churn");
                assertThat(kiln.models().resolve("models:/churn@champion").version()).isEqualTo(1);
                assertThat(body(http.get(models + "/churn/versions", "Authorization", "Bearer " + tokens.create(Principal.of("dave"), "")
                        .secret()), 403).get("message").asText()).contains("READ");

                // carol may: the alias moves, and the server, following it, scores with version 2
                JsonNode moved = body(http.put(models + "/churn/aliases/champion", "{\"version\": 2}", bearer(releaser)), 200);
                assertThat(moved.get("version").asLong()).isEqualTo(2);
                assertThat(kiln.models().resolve("models:/churn@champion").version()).isEqualTo(2);
                long deadline = System.nanoTime() + 10_000_000_000L;
                HttpResponse<String> scored;
                do {
                    scored = http.post("/invocations", "application/json", "{\"inputs\": [[30, 1]]}");
                } while (!scored.body().contains("202.0") && System.nanoTime() < deadline);
                assertThat(scored.body()).isEqualTo("{\"predictions\":[202.0]}");
                assertThat(scored.headers().firstValue(KilnServer.VERSION_HEADER)).hasValue("2");
                assertThat(server.servedVersion("churn")).isEqualTo(2);

                assertThat(body(http.put(models + "/churn/aliases/champion", "{\"version\": \"1\"}", bearer(owner)), 200)
                        .get("version").asLong()).isEqualTo(1);
                assertThat(body(http.put(models + "/churn/aliases/champion", "{}", bearer(owner)), 400).get("message").asText())
                        .contains("\"version\"");
                assertThat(body(http.put(models + "/churn/aliases/champion", "{\"version\": 7}", bearer(owner)), 404)
                        .get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
                body(http.put(models + "/churn/aliases/challenger", "{\"version\": 2}", bearer(releaser)), 200);
                body(http.delete(models + "/churn/aliases/challenger", bearer(reader)), 403);
                body(http.delete(models + "/churn/aliases/challenger", bearer(releaser)), 200);
                assertThat(kiln.models().get("churn").aliases()).containsOnlyKeys("champion");

                // a revoked token is refused from the next request on
                tokens.revoke(reader.info().id());
                body(http.get(models, bearer(reader)), 401);
            }
            List<AuditEvent> audit = kiln.governance().auditLog();
            assertThat(audit).anyMatch(e -> e.principal().name().equals("bob") && e.action().equals("model.alias.set")
                    && e.outcome().equals("DENIED"));
            assertThat(audit).anyMatch(e -> e.principal().name().equals("carol") && e.action().equals("model.alias.set")
                    && e.outcome().equals("ALLOWED"));
            assertThat(audit).anyMatch(e -> e.action().equals("token.create") && e.details().get("principal").equals("carol"));
            assertThat(audit).anyMatch(e -> e.action().equals("token.revoke"));
        }
    }

    @Test
    void onlyCatalogManagersManageTokens() throws Exception {
        try (Kiln kiln = ServingFixture.create(dir.resolve("ws"), dir.resolve("models"), 1);
                Kiln bob = Kiln.builder().root(dir.resolve("ws")).principal(Principal.of("bob")).open()) {
            assertThatThrownBy(() -> TokenStore.of(bob).create(Principal.of("bob"), "")).isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("MANAGE");
            assertThatThrownBy(() -> TokenStore.of(bob).list()).isInstanceOf(PermissionDeniedException.class);
            assertThat(Files.exists(kiln.root().resolve(TokenStore.FILE))).isFalse();
            IssuedToken t = TokenStore.of(kiln).create(Principal.of("bob"), "ci");
            assertThat(t.toString()).doesNotContain(t.secret());
            assertThatThrownBy(() -> TokenStore.of(bob).revoke(t.info().id())).isInstanceOf(PermissionDeniedException.class);
            assertThat(TokenStore.of(bob).authenticate(t.secret())).hasValue(Principal.of("bob"));
            assertThatThrownBy(() -> TokenStore.of(kiln).revoke("tok_nope")).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("kiln tokens list");
            assertThat(TokenStore.of(kiln).list()).hasSize(1);
        }
    }

    @Test
    void scoringCanRequireATokenWhosePrincipalMayExecuteTheModel() throws Exception {
        try (Kiln kiln = ServingFixture.create(dir.resolve("ws"), dir.resolve("models"), 1)) {
            IssuedToken app = TokenStore.of(kiln).create(Principal.of("app"), "scoring client");
            IssuedToken other = TokenStore.of(kiln).create(Principal.of("other"), "");
            kiln.governance().grant(Privilege.EXECUTE, Securable.model("churn"), Principal.of("app"));
            try (KilnServer server = KilnServer.builder(kiln).model("models:/churn@champion").port(0).requireTokenForScoring(true).start()) {
                ServingFixture.Http http = new ServingFixture.Http(server.port());
                String row = "{\"inputs\": [[30, 1]]}";
                assertThat(body(http.post("/invocations", "application/json", row), 401).get("error_code").asText()).isEqualTo("UNAUTHENTICATED");
                assertThat(body(http.post("/invocations", "application/json", row, bearer(other)), 403).get("message").asText())
                        .contains("EXECUTE").contains("'other'");
                assertThat(body(http.post("/invocations", "application/json", row, bearer(app)), 200).get("predictions").get(0).floatValue())
                        .isEqualTo(102f);
                body(http.post("/v2/models/churn/infer", "application/json", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], "
                        + "\"datatype\": \"FP32\", \"data\": [30, 1]}]}"), 401);
                body(http.post("/models/churn/by-key", "application/json", "{\"dataframe_records\": [{\"customer_id\": 1}]}", bearer(other)), 403);
                assertThat(http.get("/v2/health/ready").statusCode()).as("health and metrics stay open for probes").isEqualTo(200);
                assertThat(http.get("/metrics").statusCode()).isEqualTo(200);
            }
        }
    }
}
