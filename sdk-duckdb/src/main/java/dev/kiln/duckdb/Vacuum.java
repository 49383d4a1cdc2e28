package dev.kiln.duckdb;

import dev.kiln.InvalidArgumentException;
import dev.kiln.KilnException;
import dev.kiln.StorageException;
import dev.kiln.duckdb.delta.Action;
import dev.kiln.duckdb.delta.AddFile;
import dev.kiln.duckdb.delta.DeltaLog;
import dev.kiln.duckdb.delta.LogSnapshot;
import dev.kiln.duckdb.delta.RemoveFile;
import dev.kiln.lakehouse.VacuumResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Deletes data files that neither the latest version nor any version inside the retention period
 * refers to. Like Delta, it refuses a retention shorter than the default unless forced, because a
 * reader or writer that started before the vacuum may still need those files.
 */
final class Vacuum {
    static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    private final DeltaLog log;
    private final String name;

    Vacuum(DeltaLog log, String name) {
        this.log = log;
        this.name = name;
    }

    VacuumResult run(Duration retention, boolean force) {
        if (retention == null || retention.isNegative()) {
            throw new InvalidArgumentException("Vacuum of " + name + " needs a non-negative retention, e.g. Duration.ofDays(7).");
        }
        if (retention.compareTo(DEFAULT_RETENTION) < 0 && !force) {
            throw new InvalidArgumentException("Vacuum of " + name + " with retention " + retention + " is below the default of 7 days: "
                    + "time travel and concurrent readers could lose files. Pass force=true (--force) if you are sure.");
        }
        LogSnapshot latest = log.latest();
        long cutoff = System.currentTimeMillis() - retention.toMillis();
        Set<String> keep = new HashSet<>();
        for (AddFile file : latest.files()) {
            keep.add(DataFiles.percentDecode(file.path()));
        }
        for (long v = 0; v <= latest.version(); v++) {
            List<Action> actions;
            try {
                actions = log.readCommit(v);
            } catch (KilnException e) {
                continue; // commits before the oldest checkpoint may be gone; their removes are older still
            }
            for (Action action : actions) {
                if (action instanceof RemoveFile r && r.deletionTimestamp() >= cutoff) {
                    keep.add(DataFiles.percentDecode(r.path()));
                }
            }
        }
        Path dir = log.tableDir();
        List<String> deleted = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String relative = dir.relativize(file).toString().replace('\\', '/');
                // the log, hidden files and deletion vectors are never data files to collect
                if (relative.startsWith("_") || relative.startsWith(".") || relative.contains("/_") || relative.contains("/.")
                        || relative.startsWith("deletion_vector_") || keep.contains(relative)) {
                    continue;
                }
                if (Files.getLastModifiedTime(file).toMillis() < cutoff) {
                    Files.delete(file);
                    deleted.add(relative);
                }
            }
        } catch (IOException e) {
            throw new StorageException("Vacuum of " + name + " failed: " + e.getMessage(), e);
        }
        return new VacuumResult(deleted);
    }
}
