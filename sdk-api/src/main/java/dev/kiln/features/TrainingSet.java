package dev.kiln.features;

import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Table;

/**
 * A point-in-time correct training set: every spine row, in order, followed by its looked-up features.
 * Every input is pinned to the version read when it was built, so reading it again gives the same rows.
 * Close it to drop the scratch copy of a spine given as rows.
 */
public interface TrainingSet extends AutoCloseable {

    /**
     * Returns the spec it was built from.
     *
     * @return the spec
     */
    TrainingSetSpec spec();

    /**
     * Returns what it was built from.
     *
     * @return the lineage
     */
    TrainingSetLineage lineage();

    /**
     * Returns the SQL that produces the rows in spine order, over lakehouse tables pinned with {@code VERSION AS OF};
     * it can be used inside other queries given to {@link dev.kiln.lakehouse.Lakehouse#sql(String)}. Run on its own
     * it gives the same rows in the same order as {@link #rows()}, run after run. Inside a query that does not
     * depend on row order, such as an aggregate, prefer {@link #unorderedSql()}: the DuckDB backend keeps the sort of a
     * subquery even where its order cannot matter, and that sort is most of the cost of a large training set.
     *
     * @return the query
     */
    String sql();

    /**
     * Returns the SQL of the same rows as {@link #sql()} without the final sort into spine order, for use inside
     * queries whose result does not depend on its row order (aggregates, counts, or queries with their own ORDER BY).
     * The rows come in no particular order, which may change from run to run: do not train on it or write it as
     * is where the order matters; use {@link #sql()}, {@link #rows()} or {@link #writeTo(String)} for that.
     * This default returns {@link #sql()}, which is also correct, only slower.
     *
     * @return the query
     */
    default String unorderedSql() {
        return sql();
    }

    /**
     * Runs the join and returns its rows.
     *
     * @return the rows; close them when done
     * @throws dev.kiln.StorageException if reading fails
     */
    Rows rows();

    /**
     * Writes the rows to a lakehouse table: created (with the lineage in its properties) if missing,
     * overwritten in one commit if present.
     *
     * @param table {@code schema.table}; its schema must exist
     * @return the written table
     * @throws dev.kiln.NotFoundException if the schema does not exist
     * @throws dev.kiln.SchemaMismatchException if an existing table has other columns
     */
    Table writeTo(String table);

    /**
     * Writes the rows to a lakehouse table (as {@link #writeTo(String)}) and returns them as Arrow batches.
     * Needs Arrow on the class path and, on Java 17+, {@code --add-opens=java.base/java.nio=ALL-UNNAMED}.
     *
     * @param table the table to materialise into, {@code schema.table}
     * @param allocator the allocator the batches come from
     * @return a reader of record batches; close it when done
     * @throws dev.kiln.KilnException if Arrow cannot be used in this JVM
     */
    default org.apache.arrow.vector.ipc.ArrowReader toArrow(String table, org.apache.arrow.memory.BufferAllocator allocator) {
        return writeTo(table).latest().scan().toArrow(allocator);
    }

    /**
     * Drops the scratch copy of a spine given as rows, if any. Calling it twice has no further effect.
     */
    @Override
    void close();
}
