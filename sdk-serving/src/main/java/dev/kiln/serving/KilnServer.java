package dev.kiln.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.InvalidArgumentException;
import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.models.AliasPredictor;
import dev.kiln.predict.Feature;
import dev.kiln.predict.KeyedPredictor;
import dev.kiln.predict.Signature;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server scoring registered models, with the registry over REST for automation.
 *
 * <pre>{@code
 * try (KilnServer server = KilnServer.builder(kiln).model("models:/churn@champion").port(8080).start()) {
 *     // POST http://127.0.0.1:8080/invocations  {"dataframe_records": [{"tenure": 3, "spend": 41.5}]}
 * }
 * }</pre>
 *
 * <p>Routes (see the README's "Serving" section for examples):
 * <ul>
 * <li>MLflow's scoring protocol: {@code POST /invocations} (the first model) and
 *     {@code POST /models/{name}/invocations}, JSON ({@code dataframe_split}, {@code dataframe_records},
 *     {@code instances}, {@code inputs}) or CSV; answers {@code {"predictions": [...]}}.
 * <li>Scoring by entity key, features fetched from the online store over the feature tables in the
 *     version's lineage: {@code POST /models/{name}/by-key} with {@code {"dataframe_records": [{"customer_id": 42}]}}.
 * <li>Open Inference Protocol v2: {@code GET /v2/health/live}, {@code /v2/health/ready},
 *     {@code /v2/models/{name}}, {@code /v2/models/{name}/ready}, {@code POST /v2/models/{name}/infer}.
 * <li>{@code GET /metrics}: Prometheus text format.
 * <li>The registry: {@code /api/2.0/kiln/models...}, acting as the bearer token's principal.
 * </ul>
 *
 * <p>An alias URI is followed: when {@code @champion} moves, the next requests score with the new
 * version (within the registry's follow interval) and none fails. Every scoring response names the
 * version that answered in the {@code Kiln-Model-Version} header. Errors are JSON
 * ({@code {"error_code", "message"}}) with a 4xx status for anything the client can fix.
 * {@link #close()} stops accepting requests, lets those in flight finish, then stops.
 */
public final class KilnServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KilnServer.class);
    /** The header naming the model version that scored a request. */
    public static final String VERSION_HEADER = "Kiln-Model-Version";

    private final Kiln kiln;
    private final Map<String, ServedModel> models;
    private final ServedModel defaultModel;
    private final ServerMetrics metrics = new ServerMetrics();
    private final RegistryApi registry;
    private final TokenStore tokens;
    private final long maxRequestBytes;
    private final int maxBatchRows;
    private final boolean scoringNeedsToken;
    private final Duration drainTimeout;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final java.util.concurrent.ScheduledExecutorService featureRefresher;
    private volatile boolean draining;
    private final Javalin app;

    private KilnServer(Builder b) {
        this.kiln = b.kiln;
        this.maxRequestBytes = b.maxRequestBytes;
        this.maxBatchRows = b.maxBatchRows;
        this.scoringNeedsToken = b.scoringNeedsToken;
        this.drainTimeout = b.drainTimeout;
        this.tokens = TokenStore.of(kiln);
        this.registry = new RegistryApi(kiln, tokens);
        Map<String, ServedModel> served = new LinkedHashMap<>();
        try {
            for (String uri : b.uris) {
                ServedModel m = new ServedModel(kiln, uri);
                if (served.putIfAbsent(m.name(), m) != null) {
                    m.close();
                    throw new InvalidArgumentException("Model '" + m.name() + "' is given twice; serve one URI per model name.");
                }
            }
        } catch (RuntimeException e) {
            served.values().forEach(ServedModel::close);
            throw e;
        }
        this.models = Map.copyOf(served);
        this.defaultModel = served.values().iterator().next();
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = maxRequestBytes;
            // The route guard counts a request as finished when its handler returns, but Javalin writes the
            // response after that: Jetty's graceful handler makes stop() wait until responses are written too
            // (briefly: by then close() has already waited for the handlers).
            config.jetty.modifyServletContextHandler(context -> context.insertHandler(new org.eclipse.jetty.server.handler.GracefulHandler()));
            config.jetty.modifyServer(server -> server.setStopTimeout(Math.max(1, Math.min(5_000, drainTimeout.toMillis()))));
            config.routes.post("/invocations", guard("/invocations", ctx -> invocations(ctx, defaultModel)));
            config.routes.post("/models/{name}/invocations", guard("/models/{name}/invocations", ctx -> invocations(ctx, model(ctx))));
            config.routes.post("/models/{name}/by-key", guard("/models/{name}/by-key", ctx -> byKey(ctx, model(ctx))));
            config.routes.get("/ping", guard("/ping", ctx -> ctx.contentType("application/json").result("{}")));
            config.routes.get("/health", guard("/health", ctx -> ctx.contentType("application/json").result("{}")));
            config.routes.get("/v2", guard("/v2", this::serverMetadata));
            config.routes.get("/v2/health/live", guard("/v2/health/live", ctx -> RegistryApi.send(ctx, 200,
                    MlflowInput.JSON.createObjectNode().put("live", true))));
            config.routes.get("/v2/health/ready", guard("/v2/health/ready", ctx -> RegistryApi.send(ctx, 200,
                    MlflowInput.JSON.createObjectNode().put("ready", true))));
            config.routes.get("/v2/models/{name}", guard("/v2/models/{name}", ctx -> modelMetadata(ctx, model(ctx))));
            config.routes.get("/v2/models/{name}/ready", guard("/v2/models/{name}/ready", ctx -> RegistryApi.send(ctx, 200,
                    MlflowInput.JSON.createObjectNode().put("name", model(ctx).name()).put("ready", true))));
            config.routes.post("/v2/models/{name}/infer", guard("/v2/models/{name}/infer", ctx -> infer(ctx, model(ctx))));
            config.routes.get("/metrics", guard("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape(models.values()))));
            String p = RegistryApi.PREFIX;
            config.routes.get(p + "/models", guard(p + "/models", registry::listModels));
            config.routes.get(p + "/models/{name}", guard(p + "/models/{name}", registry::getModel));
            config.routes.get(p + "/models/{name}/versions", guard(p + "/models/{name}/versions", registry::listVersions));
            config.routes.get(p + "/models/{name}/versions/{version}", guard(p + "/models/{name}/versions/{version}", registry::getVersion));
            config.routes.put(p + "/models/{name}/aliases/{alias}", guard(p + "/models/{name}/aliases/{alias}", registry::setAlias));
            config.routes.post(p + "/models/{name}/aliases/{alias}", guard(p + "/models/{name}/aliases/{alias}", registry::setAlias));
            config.routes.delete(p + "/models/{name}/aliases/{alias}", guard(p + "/models/{name}/aliases/{alias}", registry::removeAlias));
            config.routes.error(404, ctx -> {
                String answered = ctx.res().getContentType();
                if (answered == null || !answered.startsWith("application/json")) {
                    ErrorResponses.write(ctx, new HttpFailure(404, "ENDPOINT_NOT_FOUND", "No route " + ctx.method() + " " + ctx.path()
                            + "; see the README's Serving section for the routes."));
                }
            });
            config.routes.error(405, ctx -> ErrorResponses.write(ctx, new HttpFailure(405, "METHOD_NOT_ALLOWED", "Route " + ctx.path()
                    + " does not take " + ctx.method() + ".")));
            config.routes.exception(Exception.class, (e, ctx) -> ErrorResponses.write(ctx, e));
        });
        try {
            app.start(b.host, b.port);
        } catch (RuntimeException e) {
            try {
                app.stop();
            } finally {
                models.values().forEach(ServedModel::close);
            }
            throw new dev.kiln.KilnException("Cannot listen on " + b.host + ":" + b.port + ": " + e.getMessage()
                    + "; choose another port (--port) or stop what uses it.", e);
        }
        LOG.info("Serving {} on http://{}:{}", models.values().stream().map(m -> m.uri().toString()).toList(), b.host, app.port());
        featureRefresher = b.featureRefresh.isZero() ? null : startFeatureRefresh(b.featureRefresh);
    }

    /** Keeps by-key features current: new feature-table commits reach the online stores every {@code interval}. */
    private java.util.concurrent.ScheduledExecutorService startFeatureRefresh(Duration interval) {
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kiln-serving-feature-refresh");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            for (ServedModel m : models.values()) {
                try {
                    m.refreshFeatures();
                } catch (RuntimeException e) {
                    // lookups keep the values they had; the next round tries again
                    LOG.warn("Refreshing the features of model {} failed: {}", m.name(), e.getMessage());
                }
            }
        }, interval.toMillis(), interval.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return timer;
    }

    /**
     * Starts configuring a server over an open workspace; the server scores as the workspace's
     * principal, which needs EXECUTE (and READ, for scoring by key) on each model.
     *
     * @param kiln the workspace; the caller closes it after the server
     * @return a builder
     */
    public static Builder builder(Kiln kiln) {
        return new Builder(Objects.requireNonNull(kiln, "kiln"));
    }

    /**
     * Returns the port the server listens on (the one chosen by the system when built with port 0).
     *
     * @return the port
     */
    public int port() {
        return app.port();
    }

    /**
     * Returns the names of the served models, as they appear in routes.
     *
     * @return the model names
     */
    public List<String> models() {
        List<String> names = new ArrayList<>(models.keySet());
        names.sort(null);
        return names;
    }

    /**
     * Returns the version a served model scores with now.
     *
     * @param name the model name
     * @return the version
     * @throws dev.kiln.NotFoundException if the server does not serve that model
     */
    public long servedVersion(String name) {
        ServedModel m = models.get(name);
        if (m == null) {
            throw new dev.kiln.NotFoundException("This server does not serve model '" + name + "'; it serves " + models() + ".");
        }
        return m.pinned().version();
    }

    /** Requests being answered now (for tests of graceful shutdown). */
    long inFlight() {
        return metrics.inFlight();
    }

    /**
     * Stops gracefully: new requests are answered 503, requests in flight finish (up to the drain
     * timeout), then the listener closes and the models' online stores are released. The workspace
     * stays open. Calling it again has no further effect.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        draining = true;
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (metrics.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (metrics.inFlight() > 0) {
            LOG.warn("Stopping with {} requests still in flight after {}", metrics.inFlight(), drainTimeout);
        }
        if (featureRefresher != null) {
            featureRefresher.shutdownNow();
        }
        try {
            app.stop();
        } finally {
            models.values().forEach(ServedModel::close);
            registry.close();
        }
    }

    /** Counts, times and answers errors for one route; refuses new work while draining. */
    private Handler guard(String route, Handler handler) {
        return ctx -> {
            long started = System.nanoTime();
            metrics.started();
            try {
                if (draining) {
                    ctx.header("Connection", "close");
                    throw new HttpFailure(503, "SHUTTING_DOWN", "The server is shutting down; retry on another replica.");
                }
                handler.handle(ctx);
            } catch (Exception e) {
                ErrorResponses.write(ctx, e);
            } finally {
                metrics.finished(route, ctx.statusCode(), System.nanoTime() - started);
            }
        };
    }

    private ServedModel model(Context ctx) {
        String name = ctx.pathParam("name");
        ServedModel m = models.get(name);
        if (m == null) {
            throw new HttpFailure(404, "RESOURCE_DOES_NOT_EXIST", "This server does not serve model '" + InputLayout.abbreviate(name)
                    + "'; it serves " + models() + ".");
        }
        return m;
    }

    /** With {@code requireToken}, a scoring request acts as its token's principal, who needs EXECUTE on the model. */
    private void authorizeScoring(Context ctx, ServedModel m) {
        if (!scoringNeedsToken) {
            return;
        }
        Principal who = registry.principal(ctx);
        if (!kiln.governance().isAllowed(who, Privilege.EXECUTE, Securable.model(m.name()))) {
            throw new HttpFailure(403, "PERMISSION_DENIED", "Principal '" + who + "' lacks EXECUTE on model " + m.name()
                    + "; a manager of the model can grant it: `kiln grants grant EXECUTE ON model " + m.name() + " TO " + who + "`.");
        }
    }

    private byte[] body(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxRequestBytes) {
            throw tooLarge(declared);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestBytes + 1));
            if (body.length > maxRequestBytes) {
                throw tooLarge(-1);
            }
            return body;
        }
    }

    private HttpFailure tooLarge(long size) {
        return new HttpFailure(413, "REQUEST_LIMIT_EXCEEDED", "The request body" + (size >= 0 ? " (" + size + " bytes)" : "")
                + " is larger than this server's limit of " + maxRequestBytes + " bytes: split the batch.");
    }

    private void invocations(Context ctx, ServedModel m) throws IOException {
        authorizeScoring(ctx, m);
        String type = mediaType(ctx);
        if (!type.equals("application/json") && !type.equals("text/csv")) {
            throw new HttpFailure(415, "UNSUPPORTED_MEDIA_TYPE", type.isEmpty()
                    ? "Set Content-Type: application/json or text/csv."
                    : "Content-Type '" + type + "' is not supported; send application/json or text/csv.");
        }
        byte[] body = body(ctx);
        AliasPredictor.Pinned pinned = m.pinned();
        InputLayout layout = m.layout(pinned);
        Batch batch = type.equals("text/csv") ? MlflowInput.fromCsv(body, layout, maxBatchRows) : MlflowInput.fromJson(body, layout, maxBatchRows);
        float[] out = score(pinned, batch);
        metrics.scored(m.name(), pinned.version(), batch.rows());
        ctx.header(VERSION_HEADER, Long.toString(pinned.version()));
        ctx.contentType("application/json").result(predictions(out, batch.rows(), pinned.predictor().signature().outputCount()));
    }

    private void byKey(Context ctx, ServedModel m) throws IOException {
        authorizeScoring(ctx, m);
        JsonNode root = MlflowInput.parse(body(ctx));
        JsonNode records = root.isObject() ? root.get("dataframe_records") : null;
        if (records == null && root.isObject()) {
            records = root.has("instances") ? root.get("instances") : root.get("inputs");
        }
        if (records == null || !records.isArray()) {
            throw new HttpFailure(400, "MALFORMED_REQUEST", "Send {\"dataframe_records\": [{<key columns>, <optional feature overrides>}, ...]}.");
        }
        MlflowInput.checkRows(records.size(), maxBatchRows);
        AliasPredictor.Pinned pinned = m.pinned();
        KeyedPredictor keyed = m.keyed(pinned);
        int outputs = pinned.predictor().signature().outputCount();
        float[] out = new float[records.size() * outputs];
        float[] one = new float[outputs];
        for (int r = 0; r < records.size(); r++) {
            JsonNode record = records.get(r);
            if (!record.isObject()) {
                throw new HttpFailure(400, "MALFORMED_REQUEST", "Row " + r + " is not an object of key values.");
            }
            pinned.predictor().predict(keyed.row(request(record, r)), one);
            System.arraycopy(one, 0, out, r * outputs, outputs);
        }
        metrics.scored(m.name(), pinned.version(), records.size());
        ctx.header(VERSION_HEADER, Long.toString(pinned.version()));
        ctx.contentType("application/json").result(predictions(out, records.size(), outputs));
    }

    /** A by-key record as Java values: whole numbers as Long (how keys are stored), others as Double, text, booleans. */
    private static Map<String, Object> request(JsonNode record, int row) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            Object value;
            if (v.isNull()) {
                value = null;
            } else if (v.isIntegralNumber()) {
                value = v.longValue();
            } else if (v.isNumber()) {
                value = v.doubleValue();
            } else if (v.isBoolean()) {
                value = v.booleanValue();
            } else if (v.isTextual()) {
                value = v.textValue();
            } else {
                throw new HttpFailure(400, "INVALID_PARAMETER_VALUE", "Row " + row + ", '" + e.getKey() + "': send a key or feature value, not a "
                        + v.getNodeType().name().toLowerCase(Locale.ROOT) + ".");
            }
            values.put(e.getKey(), value);
        }
        return values;
    }

    private void infer(Context ctx, ServedModel m) throws IOException {
        authorizeScoring(ctx, m);
        byte[] body = body(ctx);
        AliasPredictor.Pinned pinned = m.pinned();
        InferenceInput.Request request = InferenceInput.read(body, m.layout(pinned), maxBatchRows);
        Batch batch = request.batch();
        float[] out = score(pinned, batch);
        metrics.scored(m.name(), pinned.version(), batch.rows());
        int outputs = pinned.predictor().signature().outputCount();
        StringBuilder json = new StringBuilder(64 + out.length * 12);
        json.append("{\"model_name\":").append(MlflowInput.JSON.writeValueAsString(m.name())).append(",\"model_version\":\"")
                .append(pinned.version()).append('"');
        if (request.id() != null) {
            json.append(",\"id\":").append(MlflowInput.JSON.writeValueAsString(request.id()));
        }
        json.append(",\"outputs\":[{\"name\":\"predict\",\"datatype\":\"FP32\",\"shape\":[").append(batch.rows());
        if (outputs > 1) {
            json.append(',').append(outputs);
        }
        json.append("],\"data\":[");
        for (int i = 0; i < out.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            number(json, out[i]);
        }
        json.append("]}]}");
        ctx.header(VERSION_HEADER, Long.toString(pinned.version()));
        ctx.contentType("application/json").result(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void serverMetadata(Context ctx) {
        RegistryApi.send(ctx, 200, MlflowInput.JSON.createObjectNode().put("name", "kiln").put("version", "0.1.0").set("extensions",
                MlflowInput.JSON.createArrayNode()));
    }

    private void modelMetadata(Context ctx, ServedModel m) {
        AliasPredictor.Pinned pinned = m.pinned();
        Signature s = pinned.predictor().signature();
        ObjectNode o = MlflowInput.JSON.createObjectNode().put("name", m.name()).put("platform", "xgboost").put("uri", m.uri().toString());
        o.putArray("versions").add(Long.toString(pinned.version()));
        ArrayNode inputs = o.putArray("inputs");
        for (Feature f : s.features()) {
            inputs.addObject().put("name", f.name()).put("datatype", f.categories().isEmpty() ? "FP32" : "BYTES").putArray("shape").add(-1);
        }
        ObjectNode output = o.putArray("outputs").addObject().put("name", "predict").put("datatype", "FP32");
        output.putArray("shape").add(-1).add(s.outputCount());
        RegistryApi.send(ctx, 200, o);
    }

    private static float[] score(AliasPredictor.Pinned pinned, Batch batch) {
        Signature s = pinned.predictor().signature();
        float[] out = new float[batch.rows() * s.outputCount()];
        if (batch.rows() == 1) {
            pinned.predictor().predict(batch.values(), out);
        } else if (batch.rows() > 1) {
            pinned.predictor().predictBatch(batch.values(), batch.rows(), out);
        }
        return out;
    }

    private static byte[] predictions(float[] out, int rows, int outputs) {
        StringBuilder json = new StringBuilder(20 + out.length * 12);
        json.append("{\"predictions\":[");
        for (int r = 0; r < rows; r++) {
            if (r > 0) {
                json.append(',');
            }
            if (outputs == 1) {
                number(json, out[r]);
            } else {
                json.append('[');
                for (int k = 0; k < outputs; k++) {
                    if (k > 0) {
                        json.append(',');
                    }
                    number(json, out[r * outputs + k]);
                }
                json.append(']');
            }
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A float as JSON: its shortest decimal form; NaN and infinities (never valid JSON numbers) as null. */
    private static void number(StringBuilder json, float v) {
        if (Float.isFinite(v)) {
            json.append(v);
        } else {
            json.append("null");
        }
    }

    private static String mediaType(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null) {
            return "";
        }
        int semi = type.indexOf(';');
        return (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** Configures a {@link KilnServer}. */
    public static final class Builder {
        private final Kiln kiln;
        private final List<String> uris = new ArrayList<>();
        private String host = "127.0.0.1";
        private int port = 8080;
        private long maxRequestBytes = 1 << 20;
        private int maxBatchRows = 10_000;
        private boolean scoringNeedsToken;
        private Duration drainTimeout = Duration.ofSeconds(30);
        private Duration featureRefresh = Duration.ofSeconds(10);

        private Builder(Kiln kiln) {
            this.kiln = kiln;
        }

        /**
         * Adds a model to serve; the first one added also answers {@code /invocations}.
         *
         * @param uri {@code models:/name@alias} (followed as it moves) or {@code models:/name/3}
         * @return this builder
         */
        public Builder model(String uri) {
            uris.add(Objects.requireNonNull(uri, "uri"));
            return this;
        }

        /**
         * Sets the address to listen on (default {@code 127.0.0.1}; {@code 0.0.0.0} for every interface).
         *
         * @param host the address
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Sets the port (default 8080; 0 lets the system choose, see {@link KilnServer#port()}).
         *
         * @param port the port
         * @return this builder
         * @throws InvalidArgumentException if it is outside 0..65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new InvalidArgumentException("Port " + port + " is outside 0..65535.");
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the largest request body accepted (default 1 MiB); larger ones get 413.
         *
         * @param bytes the limit
         * @return this builder
         * @throws InvalidArgumentException if it is not positive
         */
        public Builder maxRequestBytes(long bytes) {
            if (bytes < 1) {
                throw new InvalidArgumentException("The request size limit must be positive, was " + bytes + ".");
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /**
         * Sets the most rows one request may score (default 10,000); more get 413.
         *
         * @param rows the limit
         * @return this builder
         * @throws InvalidArgumentException if it is not positive
         */
        public Builder maxBatchRows(int rows) {
            if (rows < 1) {
                throw new InvalidArgumentException("The batch limit must be positive, was " + rows + ".");
            }
            this.maxBatchRows = rows;
            return this;
        }

        /**
         * Makes scoring routes demand a bearer token whose principal holds EXECUTE on the model
         * (default off: scoring is open to whoever reaches the port, registry routes always need a token).
         *
         * @param required whether scoring needs a token
         * @return this builder
         */
        public Builder requireTokenForScoring(boolean required) {
            this.scoringNeedsToken = required;
            return this;
        }

        /**
         * Sets how often the online stores behind by-key scoring apply new feature-table commits
         * (default 10 s; {@link Duration#ZERO} never refreshes, so lookups keep the values read when a
         * version was first scored by key).
         *
         * @param interval the pause between refreshes
         * @return this builder
         * @throws InvalidArgumentException if it is negative
         */
        public Builder featureRefresh(Duration interval) {
            if (interval == null || interval.isNegative()) {
                throw new InvalidArgumentException("The feature refresh interval must be zero (off) or positive, was " + interval + ".");
            }
            this.featureRefresh = interval;
            return this;
        }

        /**
         * Sets how long {@link KilnServer#close()} waits for requests in flight (default 30 s).
         *
         * @param timeout the longest wait
         * @return this builder
         */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Loads the models and starts listening.
         *
         * @return the running server
         * @throws InvalidArgumentException if no model was added or a URI is not a registry URI
         * @throws dev.kiln.PermissionDeniedException if the workspace's principal lacks EXECUTE on a model
         * @throws dev.kiln.NotFoundException if a model, version or alias does not exist
         * @throws dev.kiln.KilnException if the port cannot be opened
         */
        public KilnServer start() {
            if (uris.isEmpty()) {
                throw new InvalidArgumentException("Add at least one model to serve: model(\"models:/churn@champion\").");
            }
            return new KilnServer(this);
        }
    }
}
