package dev.kiln.lakehouse;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A table as it was at one version: immutable, readable for as long as its files are not vacuumed.
 */
public interface Snapshot {

    /**
     * Returns the table version of this snapshot, from 0.
     *
     * @return the version
     */
    long version();

    /**
     * Returns when this version was committed.
     *
     * @return the commit time
     */
    Instant timestamp();

    /**
     * Returns the columns at this version.
     *
     * @return the schema
     */
    Schema schema();

    /**
     * Returns the partition columns at this version.
     *
     * @return the partition column names
     */
    List<String> partitionColumns();

    /**
     * Returns the table properties at this version.
     *
     * @return the properties
     */
    Map<String, String> properties();

    /**
     * Returns the number of live data files.
     *
     * @return the file count
     */
    int fileCount();

    /**
     * Starts a read of this snapshot.
     *
     * @return a scan of every column and row
     */
    Scan scan();
}
