package dev.kiln.core;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.features.FeatureStore;
import dev.kiln.features.FeatureStores;
import dev.kiln.governance.Governance;
import dev.kiln.governance.WorkspaceGovernance;
import dev.kiln.experiments.CoreExperiments;
import dev.kiln.experiments.Experiments;
import dev.kiln.lakehouse.CatalogLakehouse;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.models.CoreModelRegistry;
import dev.kiln.models.ModelRegistry;
import dev.kiln.monitoring.CoreMonitoring;
import dev.kiln.monitoring.Monitoring;
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
    private CoreExperiments experiments;
    private volatile FeatureStore features;
    private volatile Monitoring monitoring;

    WorkspaceKiln(Path root, Principal principal, CatalogLakehouse lakehouse, WorkspaceGovernance governance, StorageBackend backend,
            CoreModelRegistry models) {
        this.root = root;
        this.models = models;
        this.principal = principal;
        this.lakehouse = lakehouse;
        this.governance = governance;
        this.backend = backend;
        // a runs:/ URI is checked against the run's experiment; tracking is only opened if the workspace has runs
        models.experimentOfRun(runId -> lakehouse.tableExists("system.runs") ? tracking().experimentOfRun(runId)
                : java.util.Optional.empty());
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
    public FeatureStore features() {
        FeatureStore store = features;
        if (store == null) {
            synchronized (this) {
                if (features == null) {
                    features = FeatureStores.governed(lakehouse, governance, principal);
                }
                store = features;
            }
        }
        return store;
    }

    @Override
    public Governance governance() {
        return governance;
    }

    @Override
    public Experiments experiments() {
        return tracking();
    }

    private synchronized CoreExperiments tracking() {
        if (closed.get()) {
            throw new IllegalStateException("The workspace " + root + " is closed; open it again with Kiln.open.");
        }
        if (experiments == null) {
            experiments = CoreExperiments.delta(lakehouse, root.resolve("artifacts"), governance);
        }
        return experiments;
    }

    @Override
    public Monitoring monitoring() {
        Monitoring current = monitoring;
        if (current == null) {
            synchronized (this) {
                if (monitoring == null) {
                    monitoring = new CoreMonitoring(lakehouse, java.time.Clock.systemUTC(), governance, models, this::experiments);
                }
                current = monitoring;
            }
        }
        return current;
    }

    @Override
    public ModelRegistry models() {
        return models;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            CoreExperiments tracking;
            synchronized (this) {
                tracking = experiments;
            }
            try {
                if (tracking != null) {
                    tracking.close();
                }
            } finally {
                try {
                    models.close();
                } finally {
                    try {
                        governance.close();
                    } finally {
                        backend.close();
                    }
                }
            }
        }
    }
}
