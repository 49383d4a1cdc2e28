package dev.kiln.duckdb;

import dev.kiln.Kiln;
import dev.kiln.tck.LakehouseCompatibilityKit;
import java.nio.file.Path;

/** The DuckDB backend against the lakehouse compatibility kit. */
class DuckLakehouseCompatibilityTest extends LakehouseCompatibilityKit {
    @Override
    protected Kiln open(Path root) {
        return Kiln.builder().root(root).storage(new DuckStorageProvider()).open();
    }
}
