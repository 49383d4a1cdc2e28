package dev.kiln.experiments;

import dev.kiln.InvalidArgumentException;

/**
 * Thrown for a search filter or order-by clause that does not parse or does not make sense, with
 * the character position of the problem and what was expected there.
 */
public class InvalidFilterException extends InvalidArgumentException {
    private static final long serialVersionUID = 1L;

    /** The refused text. */
    private final String input;
    /** The 0-based position of the problem. */
    private final int position;
    /** What was expected at the position. */
    private final String expected;

    /**
     * Creates the exception.
     *
     * @param message the full message, naming the position and the fix
     * @param input the filter or order-by text
     * @param position the 0-based character position of the problem
     * @param expected what was expected at that position (e.g. "a comparison operator")
     */
    public InvalidFilterException(String message, String input, int position, String expected) {
        super(message);
        this.input = input;
        this.position = position;
        this.expected = expected;
    }

    /**
     * Returns the text that was refused.
     *
     * @return the filter or order-by clause
     */
    public String input() {
        return input;
    }

    /**
     * Returns where the problem is.
     *
     * @return the 0-based character position in {@link #input()}
     */
    public int position() {
        return position;
    }

    /**
     * Returns what was expected at the position.
     *
     * @return a description such as "a comparison operator"
     */
    public String expected() {
        return expected;
    }
}
