package dev.kiln.models;

import dev.kiln.NotFoundException;
import dev.kiln.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The default {@link RunArtifacts}: experiment tracking keeps a run's artifacts under
 * {@code <root>/artifacts/<experiment_id>/<run_id>/artifacts/}, so a run is found by its id
 * whatever its experiment.
 */
public final class WorkspaceRunArtifacts implements RunArtifacts {
    private final Path artifacts;

    /**
     * Creates the resolver.
     *
     * @param root the workspace folder
     */
    public WorkspaceRunArtifacts(Path root) {
        this.artifacts = root.toAbsolutePath().normalize().resolve("artifacts");
    }

    @Override
    public Path resolve(String runId, String path) {
        ModelUri.run(runId, path); // validates both
        List<Path> runs = new ArrayList<>();
        if (Files.isDirectory(artifacts)) {
            try (Stream<Path> experiments = Files.list(artifacts)) {
                experiments.filter(Files::isDirectory).map(e -> e.resolve(runId).resolve("artifacts")).filter(Files::isDirectory)
                        .forEach(runs::add);
            } catch (IOException e) {
                throw new StorageException("Cannot list " + artifacts + ": " + e.getMessage(), e);
            }
        }
        if (runs.isEmpty()) {
            throw new NotFoundException("Run " + runId + " has no artifacts in this workspace (looked under " + artifacts
                    + "/<experiment>/" + runId + "/artifacts/).");
        }
        Path base = runs.get(0);
        Path file = base.resolve(path).normalize();
        if (!file.startsWith(base)) {
            throw new NotFoundException("Artifact path " + path + " leaves run " + runId + "'s artifact folder.");
        }
        if (!Files.exists(file)) {
            throw new NotFoundException("Run " + runId + " has no artifact " + path + " (looked for " + file + ").");
        }
        return file;
    }
}
