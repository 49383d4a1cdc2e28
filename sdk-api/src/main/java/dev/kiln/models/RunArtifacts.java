package dev.kiln.models;

import java.nio.file.Path;

/**
 * Finds the file behind a {@code runs:/<run_id>/<path>} URI. Experiment tracking provides it; the
 * default looks under the workspace's {@code artifacts/} folder.
 */
@FunctionalInterface
public interface RunArtifacts {

    /**
     * Returns the artifact file of a run.
     *
     * @param runId the run id
     * @param path the artifact path inside the run, with {@code /} separators
     * @return the file (for a folder artifact, the folder holding the model file)
     * @throws dev.kiln.NotFoundException if the run or the artifact does not exist
     */
    Path resolve(String runId, String path);
}
