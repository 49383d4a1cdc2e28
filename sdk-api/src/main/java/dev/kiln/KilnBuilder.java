package dev.kiln;

import dev.kiln.spi.KilnRuntimeProvider;
import dev.kiln.spi.ProviderLookup;
import dev.kiln.spi.StorageProvider;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Configures and opens a {@link Kiln} workspace. Reached through {@link Kiln#builder()}.
 *
 * <p>A backend is chosen in this order: the one passed to {@link #storage(StorageProvider)}, then
 * the provider named by the system property {@value #STORAGE_PROPERTY}, then the provider with the
 * highest priority found by {@link java.util.ServiceLoader}.
 */
public final class KilnBuilder {

    /** System property naming the storage provider to use, e.g. {@code duckdb}. */
    public static final String STORAGE_PROPERTY = "kiln.storage";

    private Path root;
    private StorageProvider storage;
    private Principal principal;
    private final Map<String, String> properties = new LinkedHashMap<>();

    KilnBuilder() {
    }

    /**
     * Sets the workspace folder; it is created if missing.
     *
     * @param root the workspace folder
     * @return this builder
     */
    public KilnBuilder root(Path root) {
        this.root = root;
        return this;
    }

    /**
     * Wires a storage backend explicitly, bypassing discovery.
     *
     * @param provider the storage provider to use
     * @return this builder
     */
    public KilnBuilder storage(StorageProvider provider) {
        this.storage = provider;
        return this;
    }

    /**
     * Sets the principal the workspace acts as; the default is the operating-system user.
     *
     * @param principal who acts
     * @return this builder
     */
    public KilnBuilder principal(Principal principal) {
        this.principal = principal;
        return this;
    }

    /**
     * Sets a workspace option (for example {@code checkpoint.interval}).
     *
     * @param key the option name
     * @param value the option value
     * @return this builder
     */
    public KilnBuilder property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /**
     * Returns the workspace folder set so far.
     *
     * @return the root, if set
     */
    public Optional<Path> root() {
        return Optional.ofNullable(root);
    }

    /**
     * Returns the principal set so far, or the operating-system user.
     *
     * @return the acting principal
     */
    public Principal principal() {
        return principal == null ? Principal.currentUser() : principal;
    }

    /**
     * Returns the options set so far.
     *
     * @return an unmodifiable copy of the options
     */
    public Map<String, String> properties() {
        return Map.copyOf(properties);
    }

    /**
     * Returns the storage provider: the explicit one, else the one named by
     * {@value #STORAGE_PROPERTY}, else the highest-priority one on the class path.
     *
     * @return the chosen storage provider
     * @throws KilnException if none is found; the message names the module to add
     */
    public StorageProvider resolveStorage() {
        if (storage != null) {
            return storage;
        }
        return ProviderLookup.find(StorageProvider.class, STORAGE_PROPERTY, StorageProvider::name,
                StorageProvider::priority, "dev.kiln:kiln-duckdb");
    }

    /**
     * Opens the workspace.
     *
     * @return the open workspace
     * @throws InvalidArgumentException if no root was set
     * @throws KilnException if kiln-core or a storage backend is missing from the class path
     * @throws StorageException if the folder cannot be created or read
     */
    public Kiln open() {
        if (root == null) {
            throw new InvalidArgumentException("Kiln.builder() needs a workspace folder: call root(Path.of(\"lake\")).");
        }
        KilnRuntimeProvider runtime = ProviderLookup.find(KilnRuntimeProvider.class, null,
                p -> "core", p -> 0, "dev.kiln:kiln-core");
        return runtime.open(this);
    }
}
