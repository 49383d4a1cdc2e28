package dev.kiln.duckdb;

import dev.kiln.InvalidArgumentException;
import dev.kiln.spi.StorageBackend;
import dev.kiln.spi.StorageContext;
import dev.kiln.spi.StorageProvider;

/** The default backend: Delta Lake tables on the local file system, read and written through DuckDB. */
public final class DuckStorageProvider implements StorageProvider {

    /** The name {@code -Dkiln.storage=duckdb} selects. */
    public static final String NAME = "duckdb";

    /** Workspace property: DuckDB worker threads; 0 (the default) for all cores. */
    public static final String THREADS = "duckdb.threads";

    /**
     * Workspace property: DuckDB's memory limit, such as {@code 4GB} (default: 80% of RAM). Past it, large sorts, joins
     * and aggregates (a big training set, for one) spill to {@link #TEMP_DIRECTORY}.
     */
    public static final String MEMORY_LIMIT = "duckdb.memory_limit";

    /**
     * Workspace property: the folder DuckDB spills to. Default: {@code .tmp/duckdb-PID} in the workspace, a folder of this
     * process's own (DuckDB's own default, {@code .tmp} in the working directory, may be read-only or shared).
     */
    public static final String TEMP_DIRECTORY = "duckdb.temp_directory";

    /** Used by {@link java.util.ServiceLoader}. */
    public DuckStorageProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public StorageBackend open(StorageContext context) {
        String threadsText = context.properties().getOrDefault(THREADS, "0").trim();
        int threads;
        try {
            threads = Integer.parseInt(threadsText);
        } catch (NumberFormatException e) {
            threads = -1;
        }
        if (threads < 0) {
            throw new InvalidArgumentException("Workspace property " + THREADS + " is '" + threadsText
                    + "'; give a number of threads, or 0 for all cores.");
        }
        String spill = context.properties().get(TEMP_DIRECTORY);
        if (spill == null || spill.isBlank()) {
            spill = context.root().resolve(".tmp").resolve("duckdb-" + ProcessHandle.current().pid()).toString();
        }
        return new DuckStorageBackend(DuckEngine.start(threads, context.properties().get(MEMORY_LIMIT), spill), context);
    }
}
