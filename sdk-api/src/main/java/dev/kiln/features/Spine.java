package dev.kiln.features;

import dev.kiln.InvalidArgumentException;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.WriteSource;
import java.util.List;

/**
 * The rows a training set is built for: entity keys, an event time, labels and any other columns. Each
 * spine row gives exactly one training row, in the spine's order.
 */
public sealed interface Spine permits Spine.TableSpine, Spine.QuerySpine, Spine.SourceSpine {

    /**
     * Returns the spine's event-time column.
     *
     * @return the column name
     */
    String timestampColumn();

    /**
     * A lakehouse table as the spine, at its latest version when the training set is built.
     *
     * @param table {@code schema.table}
     * @param timestampColumn the event-time column
     * @return the spine
     */
    static Spine table(String table, String timestampColumn) {
        return new TableSpine(table, null, timestampColumn);
    }

    /**
     * A lakehouse table at a version as the spine.
     *
     * @param table {@code schema.table}
     * @param version the table version
     * @param timestampColumn the event-time column
     * @return the spine
     */
    static Spine table(String table, long version, String timestampColumn) {
        return new TableSpine(table, version, timestampColumn);
    }

    /**
     * A SQL query over lakehouse tables as the spine; the tables it reads are pinned to their versions
     * when the training set is built.
     *
     * @param sql the query
     * @param timestampColumn the event-time column of its result
     * @return the spine
     */
    static Spine query(String sql, String timestampColumn) {
        return new QuerySpine(sql, timestampColumn);
    }

    /**
     * Java values as the spine.
     *
     * @param schema the columns
     * @param rows the rows, in schema order
     * @param timestampColumn the event-time column
     * @return the spine
     */
    static Spine values(Schema schema, List<Object[]> rows, String timestampColumn) {
        return new SourceSpine(schema, WriteSource.values(rows), timestampColumn);
    }

    /**
     * Rows of any write source (Arrow batches, Parquet, CSV) as the spine. They are copied into a
     * scratch table of the {@code system} schema, which the training set drops when closed.
     *
     * @param schema the columns
     * @param source the rows
     * @param timestampColumn the event-time column
     * @return the spine
     */
    static Spine source(Schema schema, WriteSource source, String timestampColumn) {
        return new SourceSpine(schema, source, timestampColumn);
    }

    /**
     * A lakehouse table.
     *
     * @param table the table name
     * @param version the version, or null for the latest
     * @param timestampColumn the event-time column
     */
    record TableSpine(String table, Long version, String timestampColumn) implements Spine {
        /**
         * Checks the spine.
         *
         * @param table the table name
         * @param version the version, or null
         * @param timestampColumn the event-time column
         * @throws InvalidArgumentException if a name is missing
         */
        public TableSpine {
            require(table, "table");
            require(timestampColumn, "timestamp column");
        }
    }

    /**
     * A query.
     *
     * @param sql the query
     * @param timestampColumn the event-time column
     */
    record QuerySpine(String sql, String timestampColumn) implements Spine {
        /**
         * Checks the spine.
         *
         * @param sql the query
         * @param timestampColumn the event-time column
         * @throws InvalidArgumentException if the query or column is missing
         */
        public QuerySpine {
            require(sql, "query");
            require(timestampColumn, "timestamp column");
        }
    }

    /**
     * Rows of a write source.
     *
     * @param schema the columns
     * @param source the rows
     * @param timestampColumn the event-time column
     */
    record SourceSpine(Schema schema, WriteSource source, String timestampColumn) implements Spine {
        /**
         * Checks the spine.
         *
         * @param schema the columns
         * @param source the rows
         * @param timestampColumn the event-time column
         * @throws InvalidArgumentException if something is missing
         */
        public SourceSpine {
            if (schema == null || source == null) {
                throw new InvalidArgumentException("A spine of rows needs a schema and a source.");
            }
            require(timestampColumn, "timestamp column");
        }
    }

    private static void require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new InvalidArgumentException("A spine needs a " + what + ".");
        }
    }
}
