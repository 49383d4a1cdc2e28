package dev.kiln.duckdb.delta;

import dev.kiln.duckdb.DuckEngine;
import java.util.List;

/** Builds the DuckDB SELECT that reads the rows of a snapshot. */
public final class SnapshotRelation {
    private SnapshotRelation() {
    }

    /**
     * Returns a DuckDB SELECT producing exactly the snapshot's logical columns for the given files.
     *
     * @param engine the engine (used to inspect Parquet footers when needed)
     * @param snapshot the snapshot
     * @param files a subset of the snapshot's files
     * @return SQL text
     */
    public static String sql(DuckEngine engine, LogSnapshot snapshot, List<AddFile> files) {
        return RelationBuilder.build(engine, snapshot, files);
    }

    /**
     * Whether {@link #sql} reads these files as one table, with no join: DuckDB keeps the files' row
     * order only then. The two joins it may add attach partition values and drop rows masked by
     * deletion vectors.
     *
     * @param snapshot the snapshot
     * @param files a subset of the snapshot's files
     * @return true when the relation's row order is the files' order
     */
    public static boolean ordered(LogSnapshot snapshot, List<AddFile> files) {
        return RelationBuilder.joinFree(snapshot, files);
    }
}
