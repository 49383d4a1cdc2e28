package dev.kiln.lakehouse;

import java.util.List;

/**
 * A read of one snapshot, narrowed by columns and a filter. Built from {@link Snapshot#scan()};
 * each method returns a new scan.
 *
 * <p>The filter is a SQL boolean expression over the table's columns; files whose partition
 * values or statistics show they cannot match are not read.
 */
public interface Scan {

    /**
     * Reads only these columns, in this order.
     *
     * @param columns column names of the table
     * @return a narrowed scan
     */
    Scan columns(List<String> columns);

    /**
     * Reads only these columns, in this order.
     *
     * @param columns column names of the table
     * @return a narrowed scan
     */
    default Scan columns(String... columns) {
        return columns(List.of(columns));
    }

    /**
     * Keeps only the rows for which the SQL condition holds, e.g. {@code "region = 'EU' AND x > 2"}.
     *
     * @param sqlCondition the condition
     * @return a narrowed scan
     */
    Scan filter(String sqlCondition);

    /**
     * Returns the data files this scan would read, after pruning by partition values and statistics.
     *
     * @return file paths relative to the table
     */
    List<String> files();

    /**
     * Whether this scan returns its rows in a fixed order: the snapshot's files in log order, each
     * file's rows as stored. Two ordered scans of one snapshot with the same filter then return the
     * same rows in the same order whichever columns they pick, so their columns may be read side by
     * side. A scan that must join to read the table (to attach partition values, or to drop rows that
     * deletion vectors mask) is not ordered: the engine may interleave its rows differently each time.
     * This default answers false, which is always safe.
     *
     * @return true when the row order is fixed and independent of the columns picked
     */
    default boolean ordered() {
        return false;
    }

    /**
     * Runs the scan and returns a cursor over its rows.
     *
     * @return the rows; close them when done
     * @throws dev.kiln.InvalidArgumentException if a column or the filter is invalid
     * @throws dev.kiln.StorageException if reading fails
     */
    Rows rows();

    /**
     * Counts the rows the scan returns.
     *
     * @return the number of rows
     * @throws dev.kiln.InvalidArgumentException if the filter is invalid
     * @throws dev.kiln.StorageException if reading fails
     */
    long count();

    /**
     * Runs the scan and returns its rows as Arrow record batches. Needs Arrow on the class path and,
     * on Java 17+, {@code --add-opens=java.base/java.nio=ALL-UNNAMED}.
     *
     * @param allocator the allocator the batches are allocated from
     * @return a reader of record batches; close it when done
     * @throws dev.kiln.KilnException if Arrow cannot be used in this JVM; the message names the flag to add
     * @throws dev.kiln.StorageException if reading fails
     */
    org.apache.arrow.vector.ipc.ArrowReader toArrow(org.apache.arrow.memory.BufferAllocator allocator);
}
