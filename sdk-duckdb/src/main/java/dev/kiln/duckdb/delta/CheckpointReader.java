package dev.kiln.duckdb.delta;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.StorageException;
import dev.kiln.duckdb.DuckEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loads a checkpoint (classic, multi-part, V2 in JSON or Parquet, with sidecars) into a replay state. */
final class CheckpointReader {
    private static final String[] ACTION_COLUMNS = {"protocol", "metaData", "txn", "domainMetadata", "add", "remove", "sidecar"};

    private CheckpointReader() {
    }

    /** Parsed checkpoints by file identity (path, size, modification time): checkpoint files never change. */
    private static final Map<String, DeltaLog.State> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DeltaLog.State> eldest) {
            return size() > 8;
        }
    };

    static void clearCache() {
        synchronized (CACHE) {
            CACHE.clear();
        }
    }

    static void read(DeltaLog log, DeltaLog.Checkpoint cp, DeltaLog.State state) {
        String key = key(cp);
        DeltaLog.State cached;
        synchronized (CACHE) {
            cached = key == null ? null : CACHE.get(key);
        }
        if (cached == null) {
            cached = new DeltaLog.State();
            cached.root = log.tableDir();
            load(log, cp, cached);
            if (key != null) {
                synchronized (CACHE) {
                    CACHE.put(key, cached);
                }
            }
        }
        state.protocol = cached.protocol;
        state.metadata = cached.metadata;
        state.files = new LinkedHashMap<>(cached.files);
        state.tombstones = new LinkedHashMap<>(cached.tombstones);
        state.txns = new LinkedHashMap<>(cached.txns);
        state.domains = new LinkedHashMap<>(cached.domains);
    }

    private static String key(DeltaLog.Checkpoint cp) {
        StringBuilder sb = new StringBuilder();
        try {
            for (Path p : cp.files()) {
                sb.append(p).append('|').append(Files.size(p)).append('|').append(Files.getLastModifiedTime(p).toMillis()).append(';');
            }
        } catch (IOException e) {
            return null;
        }
        return sb.toString();
    }

    private static void load(DeltaLog log, DeltaLog.Checkpoint cp, DeltaLog.State state) {
        List<Action> actions = new ArrayList<>();
        List<String> sidecars = new ArrayList<>();
        if (cp.kind() == DeltaLog.Kind.UUID_JSON) {
            Path file = cp.files().get(0);
            try {
                actions.addAll(ActionCodec.parseLines(Files.readAllBytes(file), file.toString(), sidecars));
            } catch (IOException e) {
                throw new StorageException("Cannot read checkpoint " + file + ": " + e.getMessage(), e);
            }
        } else {
            readParquet(log, cp.files(), actions, sidecars, "checkpoint " + cp.files().get(0).getFileName());
        }
        if (!sidecars.isEmpty()) {
            List<Path> files = new ArrayList<>();
            for (String s : sidecars) {
                if (s.contains(":") || s.startsWith("/")) {
                    files.add(DeltaPaths.resolve(log.tableDir(), s));
                } else {
                    files.add(log.logDir().resolve("_sidecars").resolve(DeltaPaths.decode(s)));
                }
            }
            for (Path f : files) {
                if (!Files.exists(f)) {
                    throw new StorageException("Sidecar file " + f + " of checkpoint " + cp.files().get(0).getFileName() + " (table "
                            + log.tableDir() + ") is missing; the checkpoint is unusable: restore the sidecar or delete the checkpoint.");
                }
            }
            readParquet(log, files, actions, null, "checkpoint sidecars of " + cp.files().get(0).getFileName());
        }
        for (Action a : actions) {
            if (!(a instanceof CommitInfoAction)) {
                state.apply(a, true);
            }
        }
    }

    private static void readParquet(DeltaLog log, List<Path> files, List<Action> out, List<String> sidecars, String what) {
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < files.size(); i++) {
            if (i > 0) {
                list.append(", ");
            }
            list.append(DuckEngine.literal(files.get(i).toString()));
        }
        list.append(']');
        String source = "read_parquet(" + list + ", union_by_name = true)";
        try (Connection c = log.engine().connect(); Statement st = c.createStatement()) {
            Map<String, String> columns = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + source)) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
            StringBuilder pack = new StringBuilder();
            StringBuilder where = new StringBuilder();
            for (String col : ACTION_COLUMNS) {
                if (!columns.containsKey(col)) {
                    continue;
                }
                if (where.length() > 0) {
                    where.append(" OR ");
                }
                where.append(DuckEngine.quote(col)).append(" IS NOT NULL");
                if (col.equals("add") || col.equals("remove")) {
                    continue;
                }
                if (pack.length() > 0) {
                    pack.append(", ");
                }
                pack.append(DuckEngine.quote(col)).append(" := ").append(DuckEngine.quote(col));
            }
            if (where.length() == 0) {
                return;
            }
            // File actions are read as typed columns (fast); the few other actions as JSON.
            String addType = columns.get("add");
            String removeType = columns.get("remove");
            StringBuilder sql = new StringBuilder("SELECT ");
            if (addType != null) {
                String a = "\"add\"";
                sql.append(a).append(".path, ").append(mapJson(a + ".partitionValues")).append(", ").append(a).append(".size, ")
                        .append(a).append(".modificationTime, ").append(a).append(".dataChange, ")
                        .append(addType.contains("stats ") ? a + ".stats" : "NULL::VARCHAR").append(", ")
                        .append(addType.contains("tags ") ? mapJson(a + ".tags") : "NULL::VARCHAR").append(", ")
                        .append(addType.contains("deletionVector ") ? "to_json(" + a + ".deletionVector)" : "NULL::VARCHAR");
            } else {
                sql.append("NULL::VARCHAR, NULL::VARCHAR, NULL::BIGINT, NULL::BIGINT, NULL::BOOLEAN, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR");
            }
            if (removeType != null) {
                String r = "\"remove\"";
                sql.append(", ").append(r).append(".path, ").append(removeType.contains("deletionTimestamp ") ? r + ".deletionTimestamp" : "NULL::BIGINT")
                        .append(", ").append(r).append(".dataChange, ")
                        .append(removeType.contains("partitionValues ") ? "to_json(" + r + ".partitionValues)" : "NULL::VARCHAR").append(", ")
                        .append(removeType.contains("size ") ? r + ".size" : "NULL::BIGINT").append(", ")
                        .append(removeType.contains("deletionVector ") ? "to_json(" + r + ".deletionVector)" : "NULL::VARCHAR");
            } else {
                sql.append(", NULL::VARCHAR, NULL::BIGINT, NULL::BOOLEAN, NULL::VARCHAR, NULL::BIGINT, NULL::VARCHAR");
            }
            String fileActions = (addType != null ? "\"add\" IS NULL" : "true") + (removeType != null ? " AND \"remove\" IS NULL" : "");
            sql.append(", ").append(pack.length() == 0 ? "NULL::VARCHAR" : "CASE WHEN " + fileActions + " THEN to_json(struct_pack(" + pack + ")) END");
            sql.append(" FROM ").append(source).append(" WHERE ").append(where);
            try (ResultSet rs = st.executeQuery(sql.toString())) {
                while (rs.next()) {
                    String path = rs.getString(1);
                    if (path != null) {
                        String pv = rs.getString(2);
                        String tags = rs.getString(7);
                        String dv = rs.getString(8);
                        out.add(new AddFile(path, pv == null ? Map.of() : stringMap(pv), rs.getLong(3), rs.getLong(4), rs.getBoolean(5),
                                rs.getString(6), dv == null ? null : ActionCodec.dv(ActionCodec.MAPPER.readTree(dv)), tags == null ? null : stringMap(tags)));
                        continue;
                    }
                    String removed = rs.getString(9);
                    if (removed != null) {
                        String pv = rs.getString(12);
                        long size = rs.getLong(13);
                        Long sizeOrNull = rs.wasNull() ? null : size;
                        String dv = rs.getString(14);
                        out.add(new RemoveFile(removed, rs.getLong(10), rs.getBoolean(11), pv == null ? null : stringMap(pv), sizeOrNull,
                                dv == null ? null : ActionCodec.dv(ActionCodec.MAPPER.readTree(dv))));
                        continue;
                    }
                    String json = rs.getString(15);
                    if (json != null) {
                        ActionCodec.parseWrapper(ActionCodec.MAPPER.readTree(json), what, out, sidecars);
                    }
                }
            }
        } catch (SQLException | IOException e) {
            throw new StorageException("Cannot read " + what + " of table " + log.tableDir() + ": " + e.getMessage()
                    + ". If the checkpoint is damaged, delete it (the JSON commits remain) or restore it.", e);
        }
    }

    /** A MAP column as JSON text, NULL when empty or null (most partition maps are empty). */
    private static String mapJson(String expr) {
        return "CASE WHEN cardinality(" + expr + ") > 0 THEN to_json(" + expr + ") END";
    }

    private static Map<String, String> stringMap(String json) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        JsonNode n = ActionCodec.MAPPER.readTree(json);
        n.properties().forEach(e -> m.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        return m;
    }
}
