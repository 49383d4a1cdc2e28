/**
 * The Delta Lake transaction log for Kiln's DuckDB backend.
 *
 * <ul>
 *   <li>{@link dev.kiln.duckdb.delta.DeltaLog}: reads snapshots (JSON commits; classic, multi-part and V2
 *       checkpoints with sidecars; {@code _last_checkpoint} as a hint only), time travel by version and
 *       timestamp, history, put-if-absent commits (temp file + hard link) and classic checkpoints.</li>
 *   <li>{@link dev.kiln.duckdb.delta.SnapshotRelation}: the DuckDB SELECT that returns a snapshot's rows:
 *       partition values, schema evolution, column mapping (name and id) and deletion vectors applied.
 *       The SQL assumes a session in UTC, as {@link dev.kiln.duckdb.DuckEngine#connect()} sets.</li>
 *   <li>{@link dev.kiln.duckdb.delta.SchemaJson}: Delta's JSON schema to and from Kiln's schema.</li>
 * </ul>
 *
 * <p>Reader support: reader versions 1 to 3 with the features {@code columnMapping},
 * {@code deletionVectors}, {@code timestampNtz}, {@code v2Checkpoint}, {@code vacuumProtocolCheck} and
 * {@code typeWidening}; any other reader feature is refused by name. Writer features are the writer's
 * business: this package does not check them when reading.
 */
package dev.kiln.duckdb.delta;
