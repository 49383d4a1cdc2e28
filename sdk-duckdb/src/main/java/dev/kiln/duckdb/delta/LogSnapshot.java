package dev.kiln.duckdb.delta;

import dev.kiln.lakehouse.Schema;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The state of a Delta table at one version: protocol, metadata and live files.
 *
 * @param tableDir the table root
 * @param version the version
 * @param timestamp the commit time of that version
 * @param protocol the protocol in force
 * @param metadata the metadata in force
 * @param files the live logical files (add actions), in log order
 */
public record LogSnapshot(Path tableDir, long version, Instant timestamp, Protocol protocol, Metadata metadata, List<AddFile> files) {

    /**
     * Copies the file list.
     *
     * @param tableDir table root
     * @param version version
     * @param timestamp commit time
     * @param protocol protocol
     * @param metadata metadata
     * @param files live files
     */
    public LogSnapshot {
        files = List.copyOf(files);
    }

    /**
     * Returns the logical schema of the table at this version.
     *
     * @return the schema
     */
    public Schema schema() {
        return metadata.schema();
    }
}
