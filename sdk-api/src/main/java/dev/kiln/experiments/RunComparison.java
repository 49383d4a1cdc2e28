package dev.kiln.experiments;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs side by side: one row per param and per metric, one column per run.
 *
 * @param runs the compared runs, in the order asked for
 * @param paramKeys every param key of any of the runs, sorted
 * @param metricKeys every metric key of any of the runs, sorted
 */
public record RunComparison(List<RunRecord> runs, List<String> paramKeys, List<String> metricKeys) {

    /**
     * Copies the lists.
     *
     * @param runs the runs
     * @param paramKeys the param keys
     * @param metricKeys the metric keys
     */
    public RunComparison {
        runs = List.copyOf(runs);
        paramKeys = List.copyOf(paramKeys);
        metricKeys = List.copyOf(metricKeys);
    }

    /**
     * Returns a param's value in each run, in run order; empty where a run lacks it.
     *
     * @param key the param key
     * @return one entry per run
     */
    public List<Optional<String>> param(String key) {
        return runs.stream().map(r -> Optional.ofNullable(r.data().params().get(key))).toList();
    }

    /**
     * Returns a metric's latest value in each run, in run order; empty where a run lacks it.
     *
     * @param key the metric key
     * @return one entry per run
     */
    public List<Optional<Double>> metric(String key) {
        return runs.stream().map(r -> Optional.ofNullable(r.data().metrics().get(key))).toList();
    }

    /**
     * Returns the param keys whose value is not the same in every run (missing counts as a value).
     *
     * @return the differing keys, sorted
     */
    public List<String> differingParams() {
        return paramKeys.stream().filter(k -> param(k).stream().distinct().count() > 1).toList();
    }

    /**
     * Returns the table as maps: run id to value, per key.
     *
     * @return param key to (run id to value)
     */
    public Map<String, Map<String, String>> paramTable() {
        Map<String, Map<String, String>> table = new LinkedHashMap<>();
        for (String key : paramKeys) {
            Map<String, String> row = new LinkedHashMap<>();
            for (RunRecord r : runs) {
                String v = r.data().params().get(key);
                if (v != null) {
                    row.put(r.runId(), v);
                }
            }
            table.put(key, Collections.unmodifiableMap(row));
        }
        return Collections.unmodifiableMap(table);
    }
}
