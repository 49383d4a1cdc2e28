package dev.kiln;

/**
 * Thrown when creating an object whose name is already taken.
 */
public class AlreadyExistsException extends KilnException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, on which object, and what to do about it
     */
    public AlreadyExistsException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, on which object, and what to do about it
     * @param cause the failure that led to this one
     */
    public AlreadyExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
