package dev.kiln.governance;

import dev.kiln.AlreadyExistsException;
import dev.kiln.StorageException;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.spi.CommitContext;
import dev.kiln.spi.StorageBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The workspace's own state tables ({@code system.*}), opened straight on the backend: Kiln's areas
 * write them on the user's behalf after their own privilege checks, so no grant is needed here.
 */
public final class SystemTables {
    /** The schema holding Kiln's state. */
    public static final String SCHEMA = "system";

    private final Path root;
    private final Supplier<StorageBackend> backend;
    private final CommitContext context;
    private final Map<String, Table> open = new ConcurrentHashMap<>();

    /**
     * Creates the accessor.
     *
     * @param root the workspace folder
     * @param backend the storage backend
     * @param context who writes
     */
    public SystemTables(Path root, Supplier<StorageBackend> backend, CommitContext context) {
        this.root = root;
        this.backend = backend;
        this.context = context;
    }

    /**
     * Opens {@code system.<name>}, creating it with the given columns if it does not exist yet
     * (another process creating it at the same moment is fine).
     *
     * @param name the table name inside {@code system}
     * @param columns its columns as DDL
     * @return the table
     */
    public Table table(String name, String columns) {
        return open.computeIfAbsent(name, n -> openOrCreate(n, columns));
    }

    private Table openOrCreate(String name, String columns) {
        Path location = root.resolve(SCHEMA).resolve(name);
        if (!backend.get().isTable(location)) {
            try {
                Files.createDirectories(location.getParent());
                return backend.get().createTable(location, TableDefinition.builder(SCHEMA + "." + name).schema(columns).build(), context);
            } catch (AlreadyExistsException raced) {
                // another process created it first: use theirs
            } catch (IOException e) {
                throw new StorageException("Cannot create system table " + name + " under " + root + ": " + e.getMessage(), e);
            }
        }
        return backend.get().openTable(location, SCHEMA + "." + name, context);
    }
}
