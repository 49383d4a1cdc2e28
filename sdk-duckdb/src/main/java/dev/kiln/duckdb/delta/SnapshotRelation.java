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
}
