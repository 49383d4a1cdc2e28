package dev.kiln.core;

import dev.kiln.Kiln;
import dev.kiln.KilnBuilder;
import dev.kiln.StorageException;
import dev.kiln.governance.SystemTables;
import dev.kiln.governance.WorkspaceGovernance;
import dev.kiln.lakehouse.CatalogLakehouse;
import dev.kiln.models.CoreModelRegistry;
import dev.kiln.spi.CommitContext;
import dev.kiln.spi.KilnRuntimeProvider;
import dev.kiln.spi.StorageBackend;
import dev.kiln.spi.StorageContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Wires a workspace: the folder, the principal, the storage backend and the areas on top. */
public final class CoreRuntimeProvider implements KilnRuntimeProvider {

    /** Used by {@link java.util.ServiceLoader}. */
    public CoreRuntimeProvider() {
    }

    @Override
    public Kiln open(KilnBuilder settings) {
        Path root = settings.root().orElseThrow().toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new StorageException("Cannot create the workspace folder " + root + ": " + e.getMessage(), e);
        }
        AtomicReference<StorageBackend> backend = new AtomicReference<>();
        CommitContext context = new CommitContext(settings.principal(), Map.of());
        CatalogLakehouse lakehouse = new CatalogLakehouse(root, backend::get, context);
        backend.set(settings.resolveStorage().open(new StorageContext(root, settings.properties(), lakehouse.relations())));
        WorkspaceGovernance governance;
        SystemTables system = new SystemTables(root, backend::get, context);
        CoreModelRegistry models;
        try {
            governance = new WorkspaceGovernance(system, settings.principal());
            models = new CoreModelRegistry(root, system, governance, settings.properties());
        } catch (RuntimeException e) {
            backend.get().close();
            throw e;
        }
        lakehouse.govern(governance);
        return new WorkspaceKiln(root, settings.principal(), lakehouse, governance, backend.get(), models);
    }
}
