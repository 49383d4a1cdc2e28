package dev.kiln.features;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.lakehouse.Lakehouse;

/**
 * Opens the feature store of a workspace. Everything it stores goes through the {@link Lakehouse} API, so
 * it works on any storage backend.
 */
public final class FeatureStores {
    private FeatureStores() {
    }

    /**
     * Returns the feature store of an open workspace.
     *
     * @param kiln the workspace
     * @return its feature store
     */
    public static FeatureStore of(Kiln kiln) {
        return new LakehouseFeatureStore(kiln.lakehouse(), kiln.principal());
    }

    /**
     * Returns a feature store over a lakehouse.
     *
     * @param lakehouse the lakehouse holding the feature tables and {@code system.feature_tables}
     * @param principal who records definitions
     * @return the feature store
     */
    public static FeatureStore of(Lakehouse lakehouse, Principal principal) {
        return new LakehouseFeatureStore(lakehouse, principal);
    }
}
