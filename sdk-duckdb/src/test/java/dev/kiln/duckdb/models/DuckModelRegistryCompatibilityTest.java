package dev.kiln.duckdb.models;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.tck.ModelRegistryCompatibilityKit;
import java.nio.file.Path;

/** The DuckDB backend against the model registry compatibility kit (default follow interval). */
class DuckModelRegistryCompatibilityTest extends ModelRegistryCompatibilityKit {
    @Override
    protected Kiln open(Path root, Principal principal) {
        return TinyPredictor.open(root, principal, null);
    }
}
