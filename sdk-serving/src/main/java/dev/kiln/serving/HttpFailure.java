package dev.kiln.serving;

/**
 * A request the server refuses: the HTTP status, an MLflow-style error code and a message naming
 * what was wrong and how to fix it. Rendered as JSON by {@link ErrorResponses}.
 */
final class HttpFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    HttpFailure(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
