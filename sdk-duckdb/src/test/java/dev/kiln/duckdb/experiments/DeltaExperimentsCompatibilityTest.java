package dev.kiln.duckdb.experiments;

import dev.kiln.Kiln;
import dev.kiln.experiments.Experiments;
import dev.kiln.tck.ExperimentStoreCompatibilityKit;
import java.nio.file.Path;

/** The Delta tracking store of a real workspace against the experiments compatibility kit. */
class DeltaExperimentsCompatibilityTest extends ExperimentStoreCompatibilityKit {
    private Kiln kiln;

    @Override
    protected Experiments open(Path dir) {
        kiln = Kiln.open(dir.resolve("ws"));
        return kiln.experiments();
    }

    @Override
    protected void close(Experiments service) {
        kiln.close();
    }
}
