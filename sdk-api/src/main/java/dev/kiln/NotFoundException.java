package dev.kiln;

/**
 * Thrown when a named object (schema, table, version, model, run...) does not exist.
 */
public class NotFoundException extends KilnException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, on which object, and what to do about it
     */
    public NotFoundException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, on which object, and what to do about it
     * @param cause the failure that led to this one
     */
    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
