package dev.kiln;

/**
 * The root of every error Kiln raises. It is unchecked; each subtype names one kind of failure,
 * and every message names the object concerned and how to fix the problem.
 *
 * <p>An operation that throws a {@code KilnException} has changed nothing: no table, log or
 * registry is left half-written.
 */
public class KilnException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message naming the object and the fix.
     *
     * @param message what went wrong, on which object, and what to do about it
     */
    public KilnException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the underlying cause.
     *
     * @param message what went wrong, on which object, and what to do about it
     * @param cause the failure that led to this one
     */
    public KilnException(String message, Throwable cause) {
        super(message, cause);
    }
}
