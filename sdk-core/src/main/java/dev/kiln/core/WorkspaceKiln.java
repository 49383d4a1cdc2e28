package dev.kiln.core;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.governance.Governance;
import dev.kiln.governance.WorkspaceGovernance;
import dev.kiln.lakehouse.CatalogLakehouse;
import dev.kiln.lakehouse.Lakehouse;
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
    private final AtomicBoolean closed = new AtomicBoolean();

    WorkspaceKiln(Path root, Principal principal, CatalogLakehouse lakehouse, WorkspaceGovernance governance, StorageBackend backend) {
        this.root = root;
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
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                governance.close();
            } finally {
                backend.close();
            }
        }
    }
}
