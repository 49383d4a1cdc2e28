package dev.kiln.duckdb;

import dev.kiln.duckdb.delta.LogSnapshot;
import dev.kiln.lakehouse.Scan;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.Snapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One version of a Delta table, as the log reconstructed it. */
final class DeltaSnapshot implements Snapshot {
    private final DuckEngine engine;
    private final LogSnapshot log;

    DeltaSnapshot(DuckEngine engine, LogSnapshot log) {
        this.engine = engine;
        this.log = log;
    }

    LogSnapshot log() {
        return log;
    }

    @Override
    public long version() {
        return log.version();
    }

    @Override
    public Instant timestamp() {
        return log.timestamp();
    }

    @Override
    public Schema schema() {
        return log.schema();
    }

    @Override
    public List<String> partitionColumns() {
        return log.metadata().partitionColumns();
    }

    @Override
    public Map<String, String> properties() {
        return log.metadata().configuration() == null ? Map.of() : log.metadata().configuration();
    }

    @Override
    public int fileCount() {
        return log.files().size();
    }

    @Override
    public Scan scan() {
        return new DeltaScan(engine, log, schema().names(), null);
    }

    @Override
    public String toString() {
        return log.tableDir() + "@v" + log.version();
    }
}
