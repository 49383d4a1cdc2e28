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
    private static final String[] ACTION_COLUMNS = {"protocol", "metaData", "txn", "domainMetadata", "add", "sidecar"};

    private CheckpointReader() {
    }

    static void read(DeltaLog log, DeltaLog.Checkpoint cp, DeltaLog.State state) {
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
                String type = columns.get(col);
                if (type == null) {
                    continue;
                }
                if (pack.length() > 0) {
                    pack.append(", ");
                    where.append(" OR ");
                }
                pack.append(DuckEngine.quote(col)).append(" := ").append(col.equals("add") ? addProjection(type) : DuckEngine.quote(col));
                where.append(DuckEngine.quote(col)).append(" IS NOT NULL");
            }
            if (pack.length() == 0) {
                return;
            }
            String sql = "SELECT to_json(struct_pack(" + pack + ")) FROM " + source + " WHERE " + where;
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    String json = rs.getString(1);
                    JsonNode node = ActionCodec.MAPPER.readTree(json);
                    ActionCodec.parseWrapper(node, what, out, sidecars);
                }
            }
        } catch (SQLException | IOException e) {
            throw new StorageException("Cannot read " + what + " of table " + log.tableDir() + ": " + e.getMessage()
                    + ". If the checkpoint is damaged, delete it (the JSON commits remain) or restore it.", e);
        }
    }

    /** Projects the add struct without the (possibly large) parsed stats and partition values. */
    private static String addProjection(String type) {
        StringBuilder sb = new StringBuilder("CASE WHEN \"add\" IS NULL THEN NULL ELSE struct_pack(");
        sb.append("path := \"add\".path, partitionValues := \"add\".partitionValues, size := \"add\".size, ")
                .append("modificationTime := \"add\".modificationTime, dataChange := \"add\".dataChange");
        for (String f : new String[] {"stats", "tags", "deletionVector"}) {
            if (type.contains(f + " ")) {
                sb.append(", ").append(f).append(" := \"add\".").append(f);
            }
        }
        return sb.append(") END").toString();
    }
}
