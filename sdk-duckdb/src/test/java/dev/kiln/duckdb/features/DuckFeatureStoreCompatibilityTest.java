package dev.kiln.duckdb.features;

import dev.kiln.Kiln;
import dev.kiln.duckdb.DuckStorageProvider;
import dev.kiln.features.FeatureStore;
import dev.kiln.features.FeatureStores;
import dev.kiln.tck.FeatureStoreCompatibilityKit;
import java.nio.file.Path;

/** The DuckDB backend against the feature store compatibility kit. */
class DuckFeatureStoreCompatibilityTest extends FeatureStoreCompatibilityKit {
    @Override
    protected Kiln open(Path root) {
        return Kiln.builder().root(root).storage(new DuckStorageProvider()).open();
    }

    @Override
    protected FeatureStore features(Kiln kiln) {
        return FeatureStores.of(kiln); // until Kiln.features() is wired; then this override can go
    }
}
