package dev.kiln.xgboost.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Feature importance by gain, weight and cover from one text dump of the trees with statistics.
 * XGBoost4J's {@code getScore} dumps the whole model once per kind; this reads one dump for all three
 * and sums in the same order, so the values are the same.
 */
final class FeatureImportance {

    private FeatureImportance() {
    }

    /**
     * Reads split lines such as {@code 3:[tenure<12.5] yes=7,no=8,missing=7,gain=41.2,cover=96.5}.
     *
     * @param dump one string per tree, from {@code Booster.getModelDump(featureNames, true)}
     * @return {@code gain} (mean gain of a feature's splits), {@code weight} (how many splits use it) and
     *         {@code cover} (mean cover of its splits), each by feature name in name order; features that never split are absent
     */
    static Map<String, Map<String, Double>> fromDump(String[] dump) {
        Map<String, Double> gain = new TreeMap<>();
        Map<String, Double> weight = new TreeMap<>();
        Map<String, Double> cover = new TreeMap<>();
        for (String tree : dump) {
            for (String line : tree.split("\n")) {
                int open = line.indexOf('[');
                int close = line.indexOf("] yes=");
                if (open < 0 || close < 0) {
                    continue; // a leaf
                }
                String condition = line.substring(open + 1, close);
                int less = condition.lastIndexOf('<');
                String feature = less < 0 ? condition : condition.substring(0, less); // a name may itself hold '<'
                gain.merge(feature, statistic(line, "gain=", close), Double::sum);
                cover.merge(feature, statistic(line, "cover=", close), Double::sum);
                weight.merge(feature, 1.0, Double::sum);
            }
        }
        gain.replaceAll((feature, total) -> total / weight.get(feature));
        cover.replaceAll((feature, total) -> total / weight.get(feature));
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        out.put("gain", gain);
        out.put("weight", weight);
        out.put("cover", cover);
        return out;
    }

    private static double statistic(String line, String name, int from) {
        int start = line.indexOf(name, from) + name.length();
        int end = line.indexOf(',', start);
        return Double.parseDouble(line.substring(start, end < 0 ? line.length() : end).trim());
    }
}
