package dev.kiln.experiments;

/**
 * A file or directory among a run's artifacts, as MLflow's {@code FileInfo}.
 *
 * @param path the path relative to the run's artifact root, with {@code /} separators
 * @param isDir true for a directory
 * @param fileSize the size in bytes of a file, 0 for a directory
 */
public record ArtifactInfo(String path, boolean isDir, long fileSize) {
}
