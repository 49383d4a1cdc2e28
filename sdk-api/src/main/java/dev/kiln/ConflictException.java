package dev.kiln;

/**
 * Thrown when a concurrent change won a race: another writer committed a change that conflicts with this one. Nothing was written; re-read and retry.
 */
public class ConflictException extends KilnException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, on which object, and what to do about it
     */
    public ConflictException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, on which object, and what to do about it
     * @param cause the failure that led to this one
     */
    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
