package dev.kiln.duckdb.delta;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.StorageException;
import dev.kiln.duckdb.DuckEngine;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** Writes a classic V1 single-file checkpoint with DuckDB, then {@code _last_checkpoint}. */
final class CheckpointWriter {
    private static final String DV = "STRUCT(storageType VARCHAR, pathOrInlineDv VARCHAR, \"offset\" INTEGER, sizeInBytes INTEGER, cardinality BIGINT)";
    private static final String MAP = "MAP(VARCHAR, VARCHAR)";

    private CheckpointWriter() {
    }

    static void write(DeltaLog log, LogSnapshot snapshot, DeltaLog.State state) {
        Path logDir = log.logDir();
        String name = String.format("%020d.checkpoint.parquet", snapshot.version());
        String id = UUID.randomUUID().toString();
        Path json = logDir.resolve("." + name + "." + id + ".rows.json");
        Path temp = logDir.resolve("." + name + "." + id + ".tmp");
        long rows = 0;
        try {
            try (BufferedWriter w = Files.newBufferedWriter(json, StandardCharsets.UTF_8)) {
                rows += line(w, snapshot.protocol());
                rows += line(w, snapshot.metadata());
                for (SetTransaction t : state.txns.values()) {
                    rows += line(w, t);
                }
                for (DomainMetadata d : state.domains.values()) {
                    rows += line(w, d);
                }
                for (AddFile a : snapshot.files()) {
                    rows += line(w, new AddFile(a.path(), a.partitionValues(), a.size(), a.modificationTime(), false, a.stats(), a.deletionVector(), a.tags()));
                }
                for (RemoveFile r : state.tombstones.values()) {
                    rows += line(w, new RemoveFile(r.path(), r.deletionTimestamp(), false, r.partitionValues(), r.size(), r.deletionVector()));
                }
            }
            StringBuilder cols = new StringBuilder("{");
            cols.append("txn: 'STRUCT(appId VARCHAR, version BIGINT, lastUpdated BIGINT)', ");
            cols.append("add: 'STRUCT(path VARCHAR, partitionValues ").append(MAP).append(", size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, ")
                    .append("stats VARCHAR, tags ").append(MAP).append(", deletionVector ").append(DV).append(")', ");
            cols.append("remove: 'STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, extendedFileMetadata BOOLEAN, partitionValues ")
                    .append(MAP).append(", size BIGINT, deletionVector ").append(DV).append(")', ");
            cols.append("metaData: 'STRUCT(id VARCHAR, name VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, options ").append(MAP)
                    .append("), schemaString VARCHAR, partitionColumns VARCHAR[], configuration ").append(MAP).append(", createdTime BIGINT)', ");
            cols.append("protocol: 'STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER, readerFeatures VARCHAR[], writerFeatures VARCHAR[])'");
            if (!state.domains.isEmpty()) {
                cols.append(", domainMetadata: 'STRUCT(domain VARCHAR, configuration VARCHAR, removed BOOLEAN)'");
            }
            cols.append('}');
            String sql = "COPY (SELECT * FROM read_json(" + DuckEngine.literal(json.toString()) + ", format = 'newline_delimited', columns = "
                    + cols + ", maximum_object_size = 1073741824)) TO " + DuckEngine.literal(temp.toString()) + " (FORMAT parquet)";
            try (Connection c = log.engine().connect(); Statement st = c.createStatement()) {
                st.execute(sql);
            }
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Path target = logDir.resolve(name);
            DeltaLog.atomicMove(temp, target);
            ObjectNode last = ActionCodec.MAPPER.createObjectNode();
            last.put("version", snapshot.version());
            last.put("size", rows);
            last.put("sizeInBytes", Files.size(target));
            last.put("numOfAddFiles", snapshot.files().size());
            if (existingHint(logDir.resolve("_last_checkpoint")) <= snapshot.version()) {
                Path lastTemp = logDir.resolve("._last_checkpoint." + id + ".tmp");
                Files.write(lastTemp, ActionCodec.MAPPER.writeValueAsBytes(last));
                DeltaLog.atomicMove(lastTemp, logDir.resolve("_last_checkpoint"));
            }
        } catch (IOException | SQLException e) {
            throw new StorageException("Cannot write checkpoint " + name + " of table " + log.tableDir() + ": " + e.getMessage()
                    + ". The log is unchanged and still readable; retry later.", e);
        } finally {
            try {
                Files.deleteIfExists(json);
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // temp files are ignored by readers
            }
        }
    }

    /** The version the current _last_checkpoint names, or -1 if absent or unreadable (a newer hint is never replaced by an older one). */
    private static long existingHint(Path hint) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = ActionCodec.MAPPER.readTree(Files.readAllBytes(hint));
            return n != null && n.path("version").canConvertToLong() ? n.path("version").asLong(-1) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static int line(BufferedWriter w, Action a) throws IOException {
        w.write(ActionCodec.line(a));
        w.write('\n');
        return 1;
    }
}
