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
                long expiry = System.currentTimeMillis() - retentionMillis(snapshot.metadata());
                for (RemoveFile r : state.tombstones.values()) {
                    if (r.deletionTimestamp() < expiry) {
                        continue; // expired tombstones are dropped, as the protocol allows
                    }
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

    /**
     * Parses {@code delta.deletedFileRetentionDuration} ("interval 1 week", "interval 36 hours"...);
     * one week when absent or not understood.
     */
    static long retentionMillis(Metadata metadata) {
        long week = 7L * 24 * 3600 * 1000;
        String v = metadata.configuration().get("delta.deletedFileRetentionDuration");
        if (v == null) {
            return week;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*(?:interval\\s+)?(\\d+)\\s*([a-z]+)\\s*").matcher(v);
        if (!m.matches()) {
            return week;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2).toLowerCase(java.util.Locale.ROOT);
        if (unit.endsWith("s") && unit.length() > 1) {
            unit = unit.substring(0, unit.length() - 1);
        }
        return switch (unit) {
            case "week" -> n * week;
            case "day" -> n * 24 * 3600 * 1000;
            case "hour" -> n * 3600 * 1000;
            case "minute" -> n * 60 * 1000;
            case "second" -> n * 1000;
            case "millisecond" -> n;
            default -> week;
        };
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
