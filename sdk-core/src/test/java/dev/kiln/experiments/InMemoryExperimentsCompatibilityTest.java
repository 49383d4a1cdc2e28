package dev.kiln.experiments;

import dev.kiln.Principal;
import dev.kiln.tck.ExperimentStoreCompatibilityKit;
import java.nio.file.Path;

/** The in-memory tracking store against the experiments compatibility kit. */
class InMemoryExperimentsCompatibilityTest extends ExperimentStoreCompatibilityKit {
    @Override
    protected Experiments open(Path dir) {
        return CoreExperiments.inMemory(dir.resolve("artifacts"), Principal.of("tck"));
    }
}
