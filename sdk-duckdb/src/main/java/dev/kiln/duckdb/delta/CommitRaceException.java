package dev.kiln.duckdb.delta;

import dev.kiln.ConflictException;

/** Thrown by {@link DeltaLog#commit} when another writer already published that version. Nothing was written. */
public class CommitRaceException extends ConflictException {
    private static final long serialVersionUID = 1L;

    private final long version;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     * @param version the version that was taken
     */
    public CommitRaceException(String message, long version) {
        super(message);
        this.version = version;
    }

    /**
     * Returns the version another writer took.
     *
     * @return the version
     */
    public long version() {
        return version;
    }
}
