package dev.kiln.xgboost.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads XGBoost's evaluation line, {@code [3]\ttrain-logloss:0.41\teval-logloss:0.45}, into metric name to value. */
final class EvalLine {
    private EvalLine() {
    }

    static Map<String, Double> parse(String line) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String part : line.trim().split("\\s+")) {
            int colon = part.lastIndexOf(':');
            if (part.startsWith("[") || colon <= 0) {
                continue;
            }
            metrics.put(part.substring(0, colon), Double.parseDouble(part.substring(colon + 1)));
        }
        return metrics;
    }

    static String lastKey(Map<String, Double> metrics) {
        String last = null;
        for (String key : metrics.keySet()) {
            last = key;
        }
        return last;
    }

    /** Metrics where larger is better, as XGBoost's early stopping decides. */
    static boolean maximize(String metric) {
        String name = metric.substring(metric.indexOf('-') + 1);
        return name.startsWith("auc") || name.startsWith("map") || name.startsWith("ndcg") || name.startsWith("pre")
                || name.startsWith("aucpr");
    }
}
