package dev.kiln.duckdb;

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

    /** Workspace property: the folder DuckDB spills to (default: {@code .tmp} in the working directory). */
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
        int threads = Integer.parseInt(context.properties().getOrDefault(THREADS, "0"));
        return new DuckStorageBackend(DuckEngine.start(threads, context.properties().get(MEMORY_LIMIT),
                context.properties().get(TEMP_DIRECTORY)), context);
    }
}
