package dev.kiln.experiments;

import dev.kiln.InvalidArgumentException;
import dev.kiln.NotFoundException;
import dev.kiln.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Run artifacts as files under {@code <root>/<experiment id>/<run id>/artifacts/}. Artifact paths
 * are relative, use {@code /}, and cannot leave the run's folder.
 */
final class LocalArtifacts {

    private final Path root;

    LocalArtifacts(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path runRoot(String experimentId, String runId) {
        return root.resolve(experimentId).resolve(runId).resolve("artifacts");
    }

    String uri(String experimentId, String runId) {
        return runRoot(experimentId, runId).toUri().toString();
    }

    static Path resolve(Path base, String relative) {
        String rel = relative == null ? "" : relative.replace('\\', '/');
        while (rel.startsWith("./")) {
            rel = rel.substring(2);
        }
        if (rel.isEmpty() || rel.equals(".")) {
            return base;
        }
        if (rel.startsWith("/") || rel.contains(":")) {
            throw new InvalidArgumentException("Artifact path '" + relative + "' must be relative to the run, e.g. model/model.json.");
        }
        Path p = base.resolve(rel).normalize();
        if (!p.startsWith(base) || rel.contains("..")) {
            throw new InvalidArgumentException("Artifact path '" + relative + "' leaves the run's artifact folder; "
                    + "use a relative path without '..'.");
        }
        return p;
    }

    void copyFile(Path runRoot, Path localFile, String artifactPath) {
        Path dir = resolve(runRoot, artifactPath);
        Path target = dir.resolve(localFile.getFileName().toString());
        try {
            Files.createDirectories(dir);
            Files.copy(localFile, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("Cannot log artifact: file '" + localFile + "' does not exist.", e);
        } catch (IOException e) {
            throw new StorageException("Cannot copy '" + localFile + "' into the run's artifacts: " + e.getMessage(), e);
        }
    }

    void copyDirectory(Path runRoot, Path localDir, String artifactPath) {
        if (!Files.isDirectory(localDir)) {
            throw new NotFoundException("Cannot log artifacts: '" + localDir + "' is not a directory.");
        }
        Path dir = resolve(runRoot, artifactPath);
        try (Stream<Path> files = Files.walk(localDir)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = dir.resolve(localDir.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new StorageException("Cannot copy '" + localDir + "' into the run's artifacts: " + e.getMessage(), e);
        }
    }

    void write(Path runRoot, String artifactFile, byte[] content) {
        Path target = resolve(runRoot, artifactFile);
        if (target.equals(runRoot)) {
            throw new InvalidArgumentException("An artifact file needs a name, e.g. notes.txt.");
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".tmp-", "");
            Files.write(tmp, content);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StorageException("Cannot write artifact '" + artifactFile + "': " + e.getMessage(), e);
        }
    }

    List<ArtifactInfo> list(Path runRoot, String path) {
        Path dir = resolve(runRoot, path);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<ArtifactInfo> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                String name = child.getFileName().toString();
                if (name.startsWith(".tmp-")) {
                    continue;
                }
                String rel = runRoot.relativize(child).toString().replace('\\', '/');
                boolean isDir = Files.isDirectory(child);
                out.add(new ArtifactInfo(rel, isDir, isDir ? 0 : Files.size(child)));
            }
        } catch (IOException e) {
            throw new StorageException("Cannot list artifacts under '" + path + "': " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(ArtifactInfo::path));
        return out;
    }

    InputStream open(Path runRoot, String path) {
        Path file = resolve(runRoot, path);
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException("The run has no artifact file '" + path + "'; list them with listArtifacts.");
        }
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new StorageException("Cannot read artifact '" + path + "': " + e.getMessage(), e);
        }
    }
}
