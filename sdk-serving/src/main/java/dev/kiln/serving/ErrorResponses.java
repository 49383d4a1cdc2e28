package dev.kiln.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.AlreadyExistsException;
import dev.kiln.ConflictException;
import dev.kiln.InvalidArgumentException;
import dev.kiln.KilnException;
import dev.kiln.NotFoundException;
import dev.kiln.PermissionDeniedException;
import dev.kiln.SchemaMismatchException;
import dev.kiln.UnsupportedFeatureException;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a failure into a JSON error body: {@code {"error_code": ..., "message": ...}} as MLflow's
 * server answers, plus {@code "error"} on Open Inference Protocol routes, which name it so.
 */
final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorResponses() {
    }

    /** Maps a failure to the status and code a client can act on; anything unexpected is a 500. */
    static HttpFailure classify(Throwable e) {
        if (e instanceof HttpFailure f) {
            return f;
        }
        if (e instanceof PermissionDeniedException) {
            return new HttpFailure(403, "PERMISSION_DENIED", e.getMessage());
        }
        if (e instanceof NotFoundException) {
            return new HttpFailure(404, "RESOURCE_DOES_NOT_EXIST", e.getMessage());
        }
        if (e instanceof AlreadyExistsException) {
            return new HttpFailure(409, "RESOURCE_ALREADY_EXISTS", e.getMessage());
        }
        if (e instanceof ConflictException) {
            return new HttpFailure(409, "CONFLICT", e.getMessage());
        }
        if (e instanceof SchemaMismatchException || e instanceof InvalidArgumentException || e instanceof UnsupportedFeatureException) {
            return new HttpFailure(400, "INVALID_PARAMETER_VALUE", e.getMessage());
        }
        if (e instanceof KilnException) {
            LOG.warn("Request failed: {}", e.getMessage());
            return new HttpFailure(500, "INTERNAL_ERROR", e.getMessage());
        }
        LOG.error("Request failed unexpectedly", e);
        return new HttpFailure(500, "INTERNAL_ERROR", "The server failed to answer: " + e + ". See the server log.");
    }

    static void write(Context ctx, Throwable e) {
        HttpFailure f = classify(e);
        ObjectNode body = JSON.createObjectNode().put("error_code", f.code()).put("message", f.getMessage());
        if (ctx.path().startsWith("/v2/")) {
            body.put("error", f.getMessage());
        }
        if (f.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"kiln\"");
        }
        try {
            ctx.status(f.status()).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
