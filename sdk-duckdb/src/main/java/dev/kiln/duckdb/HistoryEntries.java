package dev.kiln.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.duckdb.delta.Action;
import dev.kiln.duckdb.delta.CommitEntry;
import dev.kiln.duckdb.delta.CommitInfoAction;
import dev.kiln.lakehouse.CommitInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads commitInfo and stats JSON written by Kiln, Spark or anyone else, tolerating what is absent. */
final class HistoryEntries {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HistoryEntries() {
    }

    static CommitInfo toCommitInfo(CommitEntry entry) {
        Map<String, Object> info = entry.commitInfo() == null ? Map.of() : entry.commitInfo();
        Map<String, String> parameters = new LinkedHashMap<>();
        if (info.get("operationParameters") instanceof Map<?, ?> p) {
            p.forEach((k, v) -> parameters.put(String.valueOf(k), String.valueOf(v)));
        }
        Map<String, Long> metrics = new LinkedHashMap<>();
        if (info.get("operationMetrics") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                try {
                    metrics.put(String.valueOf(k), Long.parseLong(String.valueOf(v)));
                } catch (NumberFormatException ignored) {
                    // some engines record non-numeric metrics; the history keeps the counts only
                }
            });
        }
        return new CommitInfo(entry.version(), entry.timestamp(), str(info.get("operation")), str(info.get("userName")),
                str(info.get("engineInfo")), parameters, metrics);
    }

    static long timestampOf(List<Action> commit) {
        for (Action action : commit) {
            if (action instanceof CommitInfoAction info) {
                Object t = info.values().get("inCommitTimestamp");
                if (t == null) {
                    t = info.values().get("timestamp");
                }
                if (t instanceof Number n) {
                    return n.longValue();
                }
            }
        }
        return 0;
    }

    static long numRecords(String stats) {
        if (stats == null) {
            return 0;
        }
        try {
            JsonNode node = JSON.readTree(stats).get("numRecords");
            return node == null ? 0 : node.asLong();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static String str(Object value) {
        return value == null ? "" : String.valueOf(value);
    }
}
