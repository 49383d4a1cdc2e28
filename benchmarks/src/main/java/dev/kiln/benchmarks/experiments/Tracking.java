package dev.kiln.benchmarks.experiments;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.experiments.CoreExperiments;
import dev.kiln.experiments.Experiments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Opens the tracking implementations the benchmarks compare: the workspace's Delta store, the in-memory store. */
final class Tracking implements AutoCloseable {
    final Path dir;
    final Kiln kiln;
    final Experiments experiments;

    private Tracking(Path dir, Kiln kiln, Experiments experiments) {
        this.dir = dir;
        this.kiln = kiln;
        this.experiments = experiments;
    }

    static Tracking open(String impl) {
        try {
            Path dir = Files.createTempDirectory("kiln-tracking-bench");
            return reopen(impl, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Tracking reopen(String impl, Path dir) {
        return switch (impl) {
            case "delta" -> {
                Kiln kiln = Kiln.open(dir.resolve("ws"));
                yield new Tracking(dir, kiln, kiln.experiments());
            }
            case "memory" -> new Tracking(dir, null, CoreExperiments.inMemory(dir.resolve("artifacts"), Principal.of("bench")));
            default -> throw new IllegalArgumentException("impl is delta or memory, not " + impl);
        };
    }

    /** Closes without deleting the folder. */
    void closeOnly() {
        if (kiln != null) {
            kiln.close();
        } else {
            ((CoreExperiments) experiments).close();
        }
    }

    @Override
    public void close() {
        closeOnly();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
