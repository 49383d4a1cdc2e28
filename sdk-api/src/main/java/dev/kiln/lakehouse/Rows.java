package dev.kiln.lakehouse;

/**
 * A forward-only cursor over query or scan results. Close it when done.
 *
 * <p>{@link #get(int)} returns Java values: {@code Boolean}, {@code Byte}, {@code Short},
 * {@code Integer}, {@code Long}, {@code Float}, {@code Double}, {@code java.math.BigDecimal},
 * {@code String}, {@code byte[]}, {@code java.time.LocalDate}, {@code java.time.Instant} (timestamp),
 * {@code java.time.LocalDateTime} (timestamp_ntz), {@code java.util.List} (array),
 * {@code java.util.Map} (map, and struct as a name-ordered map), or {@code null}.
 */
public interface Rows extends AutoCloseable {

    /**
     * Returns the columns of the result.
     *
     * @return the result schema
     */
    Schema schema();

    /**
     * Moves to the next row.
     *
     * @return false when there are no more rows
     * @throws dev.kiln.StorageException if reading fails
     */
    boolean next();

    /**
     * Returns the value of a column of the current row.
     *
     * @param column the column index, from 0
     * @return the value, or null
     * @throws dev.kiln.StorageException if reading fails
     */
    Object get(int column);

    /**
     * Returns a numeric column of the current row as a double without boxing it; NULL reads as NaN.
     *
     * @param column the column index, from 0
     * @return the value, or NaN for NULL
     * @throws dev.kiln.StorageException if reading fails
     * @throws ClassCastException if the column is not numeric or boolean
     */
    default double getDouble(int column) {
        Object value = get(column);
        if (value == null) {
            return Double.NaN;
        }
        return value instanceof Boolean b ? (b ? 1 : 0) : ((Number) value).doubleValue();
    }

    /**
     * Releases the cursor.
     *
     * @throws dev.kiln.StorageException if releasing fails
     */
    @Override
    void close();
}
