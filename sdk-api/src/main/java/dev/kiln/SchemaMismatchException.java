package dev.kiln;

/**
 * Thrown when data does not match a table's schema: unknown or missing columns, or incompatible types.
 */
public class SchemaMismatchException extends InvalidArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, on which object, and what to do about it
     */
    public SchemaMismatchException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, on which object, and what to do about it
     * @param cause the failure that led to this one
     */
    public SchemaMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
