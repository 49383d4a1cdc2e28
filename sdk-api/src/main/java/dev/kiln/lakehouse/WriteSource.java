package dev.kiln.lakehouse;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the rows of a write come from. Columns are matched to the table by name.
 */
public sealed interface WriteSource permits WriteSource.Csv, WriteSource.Parquet, WriteSource.Query,
        WriteSource.ArrowBatches, WriteSource.Values {

    /**
     * Rows from a CSV file with a header line.
     *
     * @param path the CSV file
     * @return the source
     */
    static WriteSource csv(Path path) {
        return new Csv(path);
    }

    /**
     * Rows from a Parquet file (or a glob of files).
     *
     * @param path the Parquet file
     * @return the source
     */
    static WriteSource parquet(Path path) {
        return new Parquet(path);
    }

    /**
     * Rows from a SQL query over lakehouse tables (the same SQL as {@link Lakehouse#sql(String)}).
     *
     * @param sql the query
     * @return the source
     */
    static WriteSource query(String sql) {
        return new Query(sql);
    }

    /**
     * Rows from Arrow record batches; the reader is consumed, not closed.
     *
     * @param reader the Arrow reader
     * @return the source
     */
    static WriteSource arrow(org.apache.arrow.vector.ipc.ArrowReader reader) {
        return new ArrowBatches(reader);
    }

    /**
     * Rows given as Java values, in the table's column order (see {@link Rows#get(int)} for types).
     *
     * @param rows the rows
     * @return the source
     */
    static WriteSource values(List<Object[]> rows) {
        return new Values(rows);
    }

    /**
     * A CSV file with a header line.
     *
     * @param path the file
     */
    record Csv(Path path) implements WriteSource {
    }

    /**
     * A Parquet file.
     *
     * @param path the file
     */
    record Parquet(Path path) implements WriteSource {
    }

    /**
     * A SQL query.
     *
     * @param sql the query
     */
    record Query(String sql) implements WriteSource {
    }

    /**
     * Arrow record batches.
     *
     * @param reader the reader
     */
    record ArrowBatches(org.apache.arrow.vector.ipc.ArrowReader reader) implements WriteSource {
    }

    /**
     * Java values in table column order.
     *
     * @param rows the rows
     */
    record Values(List<Object[]> rows) implements WriteSource {
        /**
         * Copies the row list (not the rows).
         *
         * @param rows the rows
         */
        public Values {
            rows = List.copyOf(rows);
        }
    }
}
