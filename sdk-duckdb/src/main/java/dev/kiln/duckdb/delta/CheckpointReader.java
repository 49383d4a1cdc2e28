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
                if (col.equals("add") || !columns.containsKey(col)) {
                    continue;
                }
                if (pack.length() > 0) {
                    pack.append(", ");
                    where.append(" OR ");
                }
                pack.append(DuckEngine.quote(col)).append(" := ").append(DuckEngine.quote(col));
                where.append(DuckEngine.quote(col)).append(" IS NOT NULL");
            }
            String addType = columns.get("add");
            if (pack.length() == 0 && addType == null) {
                return;
            }
            // Adds are read as typed columns (fast); the other actions (tombstones included) as JSON.
            String other = pack.length() == 0 ? "NULL::VARCHAR" : "to_json(struct_pack(" + pack + "))";
            StringBuilder sql = new StringBuilder("SELECT ");
            if (addType != null) {
                boolean stats = addType.contains("stats ");
                boolean tags = addType.contains("tags ");
                boolean dv = addType.contains("deletionVector ");
                sql.append("\"add\".path, CASE WHEN cardinality(\"add\".partitionValues) > 0 THEN to_json(\"add\".partitionValues) END, ")
                        .append("\"add\".size, \"add\".modificationTime, \"add\".dataChange, ")
                        .append(stats ? "\"add\".stats" : "NULL::VARCHAR").append(", ")
                        .append(tags ? "CASE WHEN \"add\".tags IS NOT NULL THEN to_json(\"add\".tags) END" : "NULL::VARCHAR").append(", ")
                        .append(dv ? "CASE WHEN \"add\".deletionVector IS NOT NULL THEN to_json(\"add\".deletionVector) END" : "NULL::VARCHAR")
                        .append(", CASE WHEN \"add\" IS NULL THEN ").append(other).append(" END");
                sql.append(" FROM ").append(source).append(" WHERE \"add\" IS NOT NULL");
                if (where.length() > 0) {
                    sql.append(" OR ").append(where);
                }
            } else {
                sql.append("NULL::VARCHAR, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ").append(other).append(" FROM ").append(source)
                        .append(" WHERE ").append(where);
            }
            try (ResultSet rs = st.executeQuery(sql.toString())) {
                while (rs.next()) {
                    String path = rs.getString(1);
                    if (path != null) {
                        String pv = rs.getString(2);
                        String tags = rs.getString(7);
                        String dv = rs.getString(8);
                        out.add(new AddFile(path, pv == null ? Map.of() : stringMap(pv), rs.getLong(3), rs.getLong(4), rs.getBoolean(5),
                                rs.getString(6), dv == null ? null : ActionCodec.dv(ActionCodec.MAPPER.readTree(dv)), tags == null ? null : stringMap(tags)));
                    } else {
                        String json = rs.getString(9);
                        if (json != null) {
                            ActionCodec.parseWrapper(ActionCodec.MAPPER.readTree(json), what, out, sidecars);
                        }
                    }
                }
            }
        } catch (SQLException | IOException e) {
            throw new StorageException("Cannot read " + what + " of table " + log.tableDir() + ": " + e.getMessage()
                    + ". If the checkpoint is damaged, delete it (the JSON commits remain) or restore it.", e);
        }
    }

    private static Map<String, String> stringMap(String json) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        JsonNode n = ActionCodec.MAPPER.readTree(json);
        n.properties().forEach(e -> m.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        return m;
    }
}
