package dev.kiln.duckdb;

import dev.kiln.spi.StorageBackend;
import dev.kiln.spi.StorageContext;
import dev.kiln.spi.StorageProvider;

/** The default backend: Delta Lake tables on the local file system, read and written through DuckDB. */
public final class DuckStorageProvider implements StorageProvider {

    /** The name {@code -Dkiln.storage=duckdb} selects. */
    public static final String NAME = "duckdb";

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
        int threads = Integer.parseInt(context.properties().getOrDefault("duckdb.threads", "0"));
        return new DuckStorageBackend(DuckEngine.start(threads), context);
    }
}
