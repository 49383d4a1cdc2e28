package dev.kiln.features;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.governance.Governance;
import dev.kiln.lakehouse.Lakehouse;

/**
 * Opens the feature store of a workspace. Everything it stores goes through the {@link Lakehouse} API, so
 * it works on any storage backend.
 */
public final class FeatureStores {
    private FeatureStores() {
    }

    /**
     * Returns the feature store of an open workspace, governed by its grants and audited.
     *
     * @param kiln the workspace
     * @return its feature store
     */
    public static FeatureStore of(Kiln kiln) {
        return kiln.features();
    }

    /**
     * Returns a feature store over a lakehouse, without feature-level checks or audit (the
     * lakehouse still checks its own tables).
     *
     * @param lakehouse the lakehouse holding the feature tables and {@code system.feature_tables}
     * @param principal who records definitions
     * @return the feature store
     */
    public static FeatureStore of(Lakehouse lakehouse, Principal principal) {
        return new LakehouseFeatureStore(lakehouse, principal, null);
    }

    /**
     * Returns a feature store over a workspace's lakehouse, checking and auditing every feature-store
     * action under the workspace's governance.
     *
     * @param lakehouse the lakehouse holding the feature tables and {@code system.feature_tables}
     * @param governance the workspace's governance
     * @param principal who records definitions
     * @return the feature store
     */
    public static FeatureStore governed(Lakehouse lakehouse, Governance governance, Principal principal) {
        return new LakehouseFeatureStore(lakehouse, principal, governance);
    }
}
