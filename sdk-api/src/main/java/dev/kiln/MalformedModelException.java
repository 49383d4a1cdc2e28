package dev.kiln;

/**
 * Thrown when a model file cannot be read: truncated, corrupt, or not a model at all.
 */
public class MalformedModelException extends InvalidArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, on which object, and what to do about it
     */
    public MalformedModelException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, on which object, and what to do about it
     * @param cause the failure that led to this one
     */
    public MalformedModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
