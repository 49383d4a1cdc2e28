package dev.kiln;

/**
 * Thrown when a table or model uses a feature Kiln does not support; the message names the feature.
 */
public class UnsupportedFeatureException extends KilnException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, on which object, and what to do about it
     */
    public UnsupportedFeatureException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong, on which object, and what to do about it
     * @param cause the failure that led to this one
     */
    public UnsupportedFeatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
