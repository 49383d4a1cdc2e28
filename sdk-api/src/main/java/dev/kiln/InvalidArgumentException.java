package dev.kiln;

/**
 * Thrown for bad input: an invalid name, a malformed option or file, a value of the wrong type.
 */
public class InvalidArgumentException extends KilnException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, on which object, and what to do about it
     */
    public InvalidArgumentException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, on which object, and what to do about it
     * @param cause the failure that led to this one
     */
    public InvalidArgumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
