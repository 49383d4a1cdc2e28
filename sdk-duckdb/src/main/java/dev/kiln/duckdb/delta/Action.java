package dev.kiln.duckdb.delta;

/**
 * One action of a Delta commit or checkpoint (see the Delta protocol, "Actions"). Actions the
 * reader does not model (cdc, checkpointMetadata, sidecar...) are skipped on read, as are unknown
 * fields of the modelled ones.
 */
public sealed interface Action permits Protocol, Metadata, AddFile, RemoveFile, CommitInfoAction, SetTransaction, DomainMetadata {
}
