package dev.kiln;

/**
 * Thrown when the acting principal lacks a privilege; the message names the privilege and the object.
 */
public class PermissionDeniedException extends KilnException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, on which object, and what to do about it
     */
    public PermissionDeniedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, on which object, and what to do about it
     * @param cause the failure that led to this one
     */
    public PermissionDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
