package dev.kiln;

import dev.kiln.features.FeatureStore;
import dev.kiln.governance.Governance;
import dev.kiln.experiments.Experiments;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.models.ModelRegistry;
import dev.kiln.monitoring.Monitoring;
import java.nio.file.Path;

/**
 * An open Kiln workspace: one folder holding lakehouse tables, features, experiments and models.
 *
 * <pre>{@code
 * try (Kiln kiln = Kiln.open(Path.of("lake"))) {
 *     kiln.lakehouse().createSchema("sales");
 * }
 * }</pre>
 *
 * <p>A {@code Kiln} is thread-safe. Close it to release the engine and flush buffered writes.
 */
public interface Kiln extends AutoCloseable {

    /**
     * Opens (creating if needed) the workspace in {@code root} with the default backends found on
     * the class path, acting as the operating-system user.
     *
     * @param root the workspace folder
     * @return the open workspace
     * @throws KilnException if no backend is on the class path or the folder cannot be used
     */
    static Kiln open(Path root) {
        return builder().root(root).open();
    }

    /**
     * Starts configuring a workspace with explicit backends or principal.
     *
     * @return a new builder
     */
    static KilnBuilder builder() {
        return new KilnBuilder();
    }

    /**
     * Returns the workspace folder.
     *
     * @return the root folder of this workspace
     */
    Path root();

    /**
     * Returns the principal this workspace acts as.
     *
     * @return the acting principal
     */
    Principal principal();

    /**
     * Returns the lakehouse: schemas, Delta tables, SQL.
     *
     * @return the lakehouse of this workspace
     */
    Lakehouse lakehouse();

    /**
     * Returns the feature store: feature tables, point-in-time training sets and online stores.
     *
     * @return the feature store of this workspace
     */
    FeatureStore features();

    /**
     * Returns the workspace's grants, ownership and audit log.
     *
     * @return the governance of this workspace
     */
    Governance governance();

    /**
     * Returns experiment tracking: experiments, runs, params, metrics, tags, artifacts and search,
     * kept in Delta tables of the workspace's {@code system} schema (created on first use) and
     * shared by every process that opens the workspace. Artifacts are files under
     * {@code <root>/artifacts/}. Logged values are buffered; {@link #close()} commits them.
     *
     * @return the experiment tracking of this workspace
     */
    Experiments experiments();

    /**
     * Returns the model registry: registered models, versions, aliases, lineage and live loading.
     *
     * @return the model registry of this workspace
     */
    ModelRegistry models();

    /**
     * Returns data-quality profiles, drift monitors and alerts.
     *
     * @return the monitoring area of this workspace
     */
    Monitoring monitoring();

    /**
     * Flushes buffered writes and releases the engine. Calling it twice has no further effect.
     *
     * @throws StorageException if buffered writes could not be made durable
     */
    @Override
    void close();
}
