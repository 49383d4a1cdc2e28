package dev.kiln.core;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.governance.Governance;
import dev.kiln.governance.WorkspaceGovernance;
import dev.kiln.lakehouse.CatalogLakehouse;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.models.CoreModelRegistry;
import dev.kiln.models.ModelRegistry;
import dev.kiln.spi.StorageBackend;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/** An open workspace: the areas wired to one storage backend. */
final class WorkspaceKiln implements Kiln {
    private final Path root;
    private final Principal principal;
    private final CatalogLakehouse lakehouse;
    private final WorkspaceGovernance governance;
    private final StorageBackend backend;
    private final CoreModelRegistry models;
    private final AtomicBoolean closed = new AtomicBoolean();

    WorkspaceKiln(Path root, Principal principal, CatalogLakehouse lakehouse, WorkspaceGovernance governance, StorageBackend backend,
            CoreModelRegistry models) {
        this.root = root;
        this.models = models;
        this.principal = principal;
        this.lakehouse = lakehouse;
        this.governance = governance;
        this.backend = backend;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public Principal principal() {
        return principal;
    }

    @Override
    public Lakehouse lakehouse() {
        return lakehouse;
    }

    @Override
    public Governance governance() {
        return governance;
    }

    @Override
    public ModelRegistry models() {
        return models;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                models.close();
                governance.close();
            } finally {
                backend.close();
            }
        }
    }
}
