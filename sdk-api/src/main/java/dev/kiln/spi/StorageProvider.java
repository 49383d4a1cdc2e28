package dev.kiln.spi;

/**
 * A storage and compute backend, found by {@link java.util.ServiceLoader} or wired explicitly with
 * {@link dev.kiln.KilnBuilder#storage(StorageProvider)}. kiln-duckdb provides the default one.
 */
public interface StorageProvider {

    /**
     * Returns the name the system property {@code kiln.storage} uses to choose this provider.
     *
     * @return the provider name, e.g. {@code duckdb}
     */
    String name();

    /**
     * Returns the priority among discovered providers; the highest wins.
     *
     * @return the priority
     */
    int priority();

    /**
     * Opens the backend for a workspace. Native libraries are loaded here at the earliest.
     *
     * @param context the workspace folder, options and the resolver of table names in SQL
     * @return the open backend
     * @throws dev.kiln.StorageException if the engine cannot start
     */
    StorageBackend open(StorageContext context);
}
