package dev.kiln.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.models.ModelVersion;
import dev.kiln.models.RegisteredModel;
import dev.kiln.predict.Feature;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model registry over REST, for automation: every call acts as the principal whose bearer token
 * it carries, through a workspace opened as that principal, so the registry's own grant checks and
 * audit apply exactly as they do in the SDK and the {@code kiln} command.
 *
 * <pre>
 * GET    /api/2.0/kiln/models[?filter=name LIKE 'churn%']     {"registered_models": [...]}
 * GET    /api/2.0/kiln/models/{name}                          {"registered_model": {...}}
 * GET    /api/2.0/kiln/models/{name}/versions                 {"model_versions": [...]}
 * GET    /api/2.0/kiln/models/{name}/versions/{version}       {"model_version": {...}}
 * PUT    /api/2.0/kiln/models/{name}/aliases/{alias}          body {"version": 7}
 * DELETE /api/2.0/kiln/models/{name}/aliases/{alias}
 * </pre>
 */
final class RegistryApi implements AutoCloseable {
    static final String PREFIX = "/api/2.0/kiln";
    private static final ObjectMapper JSON = MlflowInput.JSON;

    private final Kiln server;
    private final TokenStore tokens;
    private final Map<Principal, Kiln> workspaces = new ConcurrentHashMap<>();

    RegistryApi(Kiln server, TokenStore tokens) {
        this.server = server;
        this.tokens = tokens;
    }

    /** The principal a request's bearer token stands for; 401 without a known token. */
    Principal principal(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new HttpFailure(401, "UNAUTHENTICATED", "This route needs a bearer token: send 'Authorization: Bearer <token>' "
                    + "(issue one with `kiln tokens create --for PRINCIPAL`).");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new HttpFailure(401, "UNAUTHENTICATED", "The Authorization header must be 'Bearer <token>'.");
        }
        return tokens.authenticate(header.substring(7).trim()).orElseThrow(() -> new HttpFailure(401, "UNAUTHENTICATED",
                "The bearer token is unknown or revoked; ask a catalog manager for a new one (`kiln tokens create`)."));
    }

    /** A workspace acting as the caller, opened once per principal and kept for the server's life. */
    private Kiln as(Context ctx) {
        Principal who = principal(ctx);
        if (who.equals(server.principal())) {
            return server;
        }
        return workspaces.computeIfAbsent(who, p -> Kiln.builder().root(server.root()).principal(p).open());
    }

    void listModels(Context ctx) {
        Kiln kiln = as(ctx);
        String filter = ctx.queryParam("filter");
        ArrayNode models = JSON.createArrayNode();
        for (RegisteredModel m : filter == null || filter.isBlank() ? kiln.models().list() : kiln.models().search(filter)) {
            models.add(json(m));
        }
        send(ctx, 200, JSON.createObjectNode().set("registered_models", models));
    }

    void getModel(Context ctx) {
        Kiln kiln = as(ctx);
        send(ctx, 200, JSON.createObjectNode().set("registered_model", json(kiln.models().get(ctx.pathParam("name")))));
    }

    void listVersions(Context ctx) {
        Kiln kiln = as(ctx);
        ArrayNode versions = JSON.createArrayNode();
        for (ModelVersion v : kiln.models().versions(ctx.pathParam("name"))) {
            versions.add(json(v));
        }
        send(ctx, 200, JSON.createObjectNode().set("model_versions", versions));
    }

    void getVersion(Context ctx) {
        Kiln kiln = as(ctx);
        send(ctx, 200, JSON.createObjectNode().set("model_version", json(kiln.models().version(ctx.pathParam("name"),
                version(ctx.pathParam("version"))))));
    }

    void setAlias(Context ctx) {
        Kiln kiln = as(ctx);
        JsonNode body = MlflowInput.parse(ctx.bodyAsBytes());
        JsonNode v = body.get("version");
        if (v == null || !(v.canConvertToLong() || v.isTextual())) {
            throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Send the version to point the alias at: {\"version\": 7}.");
        }
        long version = v.isTextual() ? version(v.asText()) : v.asLong();
        String name = ctx.pathParam("name");
        String alias = ctx.pathParam("alias");
        kiln.models().setAlias(name, alias, version);
        send(ctx, 200, JSON.createObjectNode().put("name", name).put("alias", alias).put("version", version));
    }

    void removeAlias(Context ctx) {
        Kiln kiln = as(ctx);
        kiln.models().removeAlias(ctx.pathParam("name"), ctx.pathParam("alias"));
        send(ctx, 200, JSON.createObjectNode());
    }

    private static long version(String text) {
        try {
            long v = Long.parseLong(text.trim());
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "'" + InputLayout.abbreviate(text) + "' is not a model version (1, 2, 3...).");
    }

    static ObjectNode json(RegisteredModel m) {
        ObjectNode o = JSON.createObjectNode().put("name", m.name()).put("description", m.description())
                .put("latest_version", m.latestVersion()).put("creator", m.creator().name())
                .put("creation_timestamp", m.createdAt().toEpochMilli()).put("last_updated_timestamp", m.updatedAt().toEpochMilli());
        ArrayNode aliases = o.putArray("aliases");
        new java.util.TreeMap<>(m.aliases()).forEach((alias, version) -> aliases.addObject().put("alias", alias).put("version", version));
        ArrayNode tags = o.putArray("tags");
        new java.util.TreeMap<>(m.tags()).forEach((k, v) -> tags.addObject().put("key", k).put("value", v));
        return o;
    }

    static ObjectNode json(ModelVersion v) {
        ObjectNode o = JSON.createObjectNode().put("name", v.modelName()).put("version", v.version()).put("source", v.source())
                .put("run_id", v.runId()).put("description", v.description()).put("creator", v.creator().name())
                .put("creation_timestamp", v.createdAt().toEpochMilli());
        ArrayNode aliases = o.putArray("aliases");
        v.aliases().forEach(aliases::add);
        ArrayNode tags = o.putArray("tags");
        new java.util.TreeMap<>(v.tags()).forEach((k, val) -> tags.addObject().put("key", k).put("value", val));
        ObjectNode signature = o.putObject("signature");
        ArrayNode inputs = signature.putArray("inputs");
        for (Feature f : v.signature().features()) {
            inputs.addObject().put("name", f.name()).put("type", f.type().name().toLowerCase(Locale.ROOT));
        }
        signature.put("objective", v.signature().objective()).put("outputs", v.signature().outputCount());
        return o;
    }

    static void send(Context ctx, int status, JsonNode body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        workspaces.values().forEach(Kiln::close);
        workspaces.clear();
    }
}
