package dev.kiln.lakehouse;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Delta Lake table. Every write is one atomic commit; readers see whole versions only.
 *
 * <p>Writes that only add rows (appends) are retried automatically when another writer commits
 * first. Writes that remove or rewrite rows (overwrite, delete, update, merge, optimize) fail with a
 * {@link dev.kiln.ConflictException} if a concurrent commit touched the same files.
 */
public interface Table {

    /**
     * Returns the table's name ({@code schema.table}), or its path for a table opened by path.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the table's folder.
     *
     * @return the folder holding {@code _delta_log/} and the data files
     */
    Path location();

    /**
     * Returns the latest snapshot.
     *
     * @return the latest version of the table
     * @throws dev.kiln.StorageException if the log cannot be read
     */
    Snapshot latest();

    /**
     * Returns the table as of a version (time travel).
     *
     * @param version the version, from 0
     * @return the snapshot
     * @throws dev.kiln.NotFoundException if the version does not exist or its files were vacuumed
     */
    Snapshot asOfVersion(long version);

    /**
     * Returns the table as of an instant: the last version committed at or before it.
     *
     * @param timestamp the instant
     * @return the snapshot
     * @throws dev.kiln.NotFoundException if the table had no version yet at that instant
     */
    Snapshot asOfTimestamp(Instant timestamp);

    /**
     * Returns the commits, newest first.
     *
     * @return the history
     */
    List<CommitInfo> history();

    /**
     * Appends rows.
     *
     * @param source the rows
     * @return the commit made
     * @throws dev.kiln.SchemaMismatchException if the rows do not fit the schema
     * @throws dev.kiln.InvalidArgumentException if the source cannot be read
     */
    default CommitInfo append(WriteSource source) {
        return write(source, WriteOptions.APPEND);
    }

    /**
     * Replaces every row by the source's rows.
     *
     * @param source the rows
     * @return the commit made
     * @throws dev.kiln.SchemaMismatchException if the rows do not fit the schema
     * @throws dev.kiln.ConflictException if a concurrent commit changed the table
     */
    default CommitInfo overwrite(WriteSource source) {
        return write(source, WriteOptions.OVERWRITE);
    }

    /**
     * Writes rows.
     *
     * @param source the rows
     * @param options append or overwrite, schema evolution
     * @return the commit made
     * @throws dev.kiln.SchemaMismatchException if the rows do not fit the schema and evolution is off
     * @throws dev.kiln.ConflictException if an overwrite met a concurrent change
     */
    CommitInfo write(WriteSource source, WriteOptions options);

    /**
     * Deletes the rows for which a SQL condition holds.
     *
     * @param sqlCondition the condition, e.g. {@code "ts < TIMESTAMP '2024-01-01'"}
     * @return the commit made (with no file change if nothing matched)
     * @throws dev.kiln.InvalidArgumentException if the condition is invalid
     * @throws dev.kiln.ConflictException if a concurrent commit changed the same files
     */
    CommitInfo delete(String sqlCondition);

    /**
     * Updates the rows for which a SQL condition holds.
     *
     * @param sqlCondition the condition
     * @param assignments column name to SQL expression, e.g. {@code Map.of("x", "x * 2")}
     * @return the commit made
     * @throws dev.kiln.InvalidArgumentException if the condition or an assignment is invalid
     * @throws dev.kiln.ConflictException if a concurrent commit changed the same files
     */
    CommitInfo update(String sqlCondition, Map<String, String> assignments);

    /**
     * Upserts rows by key.
     *
     * @param spec the source, keys and clauses
     * @return the commit made
     * @throws dev.kiln.SchemaMismatchException if the source does not fit the schema
     * @throws dev.kiln.InvalidArgumentException if a key has duplicates in the source
     * @throws dev.kiln.ConflictException if a concurrent commit changed the same files
     */
    CommitInfo merge(MergeSpec spec);

    /**
     * Compacts small files into larger ones; the rows are unchanged ({@code dataChange=false}).
     *
     * @return the commit made, or the latest one if nothing needed compaction
     * @throws dev.kiln.ConflictException if a concurrent commit removed the same files
     */
    CommitInfo optimize();

    /**
     * Deletes data files that no version younger than the retention period still needs.
     *
     * @param retention how long removed files are kept for time travel
     * @param force whether a retention shorter than the table's default (7 days) is allowed
     * @return the files deleted
     * @throws dev.kiln.InvalidArgumentException if the retention is below the default and not forced
     */
    VacuumResult vacuum(Duration retention, boolean force);

    /**
     * Writes a checkpoint of the latest version, so that opening the table reads less log.
     *
     * @return the version checkpointed
     * @throws dev.kiln.StorageException if writing fails
     */
    long checkpoint();
}
