package dev.kiln;

/**
 * Thrown when the storage underneath fails: an I/O error, a corrupt log, or an engine error.
 */
public class StorageException extends KilnException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, on which object, and what to do about it
     */
    public StorageException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, on which object, and what to do about it
     * @param cause the failure that led to this one
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
