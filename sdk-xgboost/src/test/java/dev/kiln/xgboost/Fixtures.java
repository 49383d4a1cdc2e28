package dev.kiln.xgboost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Small data sets and XGBoost4J-trained models for the parity tests. */
final class Fixtures {
    static final int ROWS = 240;
    static final int COLS = 6;
    static final int CAT = 5;

    private Fixtures() {
    }

    /** A training run: the booster, its data, and the saved model bytes. */
    record Trained(Booster booster, float[] x, int rows, int cols, byte[] json, byte[] ubj) {
    }

    static float[] features(long seed, int rows, boolean categorical) {
        Random r = new Random(seed);
        float[] x = new float[rows * COLS];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < COLS; j++) {
                float v = (float) r.nextGaussian();
                if (j == CAT && categorical) {
                    v = r.nextInt(7);
                }
                if ((j == 1 || j == 2) && r.nextInt(12) == 0) {
                    v = Float.NaN;
                }
                x[i * COLS + j] = v;
            }
        }
        return x;
    }

    static float[] labels(String objective, float[] x, int rows, long seed, boolean categorical) {
        Random r = new Random(seed + 7);
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            float a = x[i * COLS];
            float b = x[i * COLS + 3];
            float c = categorical ? (x[i * COLS + CAT] == 2 || x[i * COLS + CAT] == 5 ? 1.5f : -0.5f) : 0f;
            double s = a + 0.5 * b + c + 0.3 * r.nextGaussian();
            switch (objective) {
                case "binary:logistic", "binary:logitraw", "binary:hinge" -> y[i] = s > 0 ? 1 : 0;
                case "reg:logistic" -> y[i] = (float) (1 / (1 + Math.exp(-s)));
                case "count:poisson" -> y[i] = (float) Math.floor(Math.exp(0.5 * s) + r.nextDouble());
                case "reg:gamma" -> y[i] = (float) Math.exp(0.4 * s);
                case "reg:tweedie" -> y[i] = r.nextInt(4) == 0 ? 0f : (float) Math.exp(0.4 * s);
                case "survival:cox" -> {
                    float t = (float) Math.exp(-0.5 * s + 0.1 * r.nextGaussian());
                    y[i] = r.nextInt(5) == 0 ? -t : t;
                }
                case "multi:softmax", "multi:softprob" -> y[i] = s < -0.5 ? 0 : s < 0.5 ? 1 : 2;
                case "rank:pairwise", "rank:ndcg", "rank:map" -> y[i] = objective.equals("rank:map")
                        ? (s > 0 ? 1 : 0) : (float) Math.max(0, Math.min(3, Math.floor(s + 1.5)));
                default -> y[i] = (float) (2 * s + b * b);
            }
        }
        return y;
    }

    static Trained train(String objective, String booster, int rounds, Map<String, Object> extra,
            boolean categorical, long seed) throws XGBoostError {
        float[] x = features(seed, ROWS, categorical);
        float[] y = labels(objective, x, ROWS, seed, categorical);
        DMatrix d = new DMatrix(x, ROWS, COLS, Float.NaN);
        d.setLabel(y);
        if (categorical) {
            d.setFeatureTypes(new String[] {"q", "q", "q", "q", "q", "c"});
        }
        if (objective.startsWith("rank:")) {
            int[] groups = new int[ROWS / 20];
            java.util.Arrays.fill(groups, 20);
            d.setGroup(groups);
        }
        Map<String, Object> p = new HashMap<>();
        p.put("objective", objective);
        p.put("booster", booster);
        p.put("max_depth", 4);
        p.put("eta", 0.3);
        p.put("tree_method", "hist");
        p.put("nthread", 1);
        p.put("seed", 3);
        p.put("verbosity", 0);
        if (categorical) {
            p.put("enable_categorical", true);
            p.put("max_cat_to_onehot", 1);
        }
        if (objective.startsWith("multi:")) {
            p.put("num_class", 3);
        }
        if (booster.equals("dart")) {
            p.put("rate_drop", 0.3);
            p.put("skip_drop", 0.0);
        }
        p.putAll(extra);
        Booster b = XGBoost.train(d, p, rounds, new HashMap<>(), null, null);
        d.dispose();
        return new Trained(b, x, ROWS, COLS, b.toByteArray("json"), b.toByteArray("ubj"));
    }

    /** Rows at, just above and just below every split threshold of the model, plus missing rows. */
    static float[] probes(XgbModel model, float[] x, int rows, int cols, int limit) {
        List<float[]> out = new ArrayList<>();
        Random r = new Random(11);
        for (Tree t : model.trees) {
            for (int n = 0; n < t.numNodes && out.size() < limit; n++) {
                if (t.left[n] < 0 || t.catRight[n] != null) {
                    continue;
                }
                float c = t.cond[n];
                for (float v : new float[] {c, Math.nextUp(c), Math.nextDown(c)}) {
                    float[] row = new float[cols];
                    System.arraycopy(x, r.nextInt(rows) * cols, row, 0, cols);
                    row[t.feature[n]] = v;
                    out.add(row);
                }
            }
        }
        float[] allMissing = new float[cols];
        java.util.Arrays.fill(allMissing, Float.NaN);
        out.add(allMissing);
        for (float v : new float[] {-1f, 0.5f, 2.7f, 7f, 100f, 1e9f, -0.0f}) {
            float[] row = new float[cols];
            System.arraycopy(x, 0, row, 0, cols);
            row[cols - 1] = v;
            out.add(row);
        }
        float[] all = new float[(out.size() + Math.min(rows, 120)) * cols];
        int k = 0;
        for (float[] row : out) {
            System.arraycopy(row, 0, all, k, cols);
            k += cols;
        }
        System.arraycopy(x, 0, all, k, Math.min(rows, 120) * cols);
        return all;
    }

    static int ulps(float a, float b) {
        if (Float.floatToIntBits(a) == Float.floatToIntBits(b)) {
            return 0;
        }
        if (Float.isNaN(a) || Float.isNaN(b)) {
            return Integer.MAX_VALUE;
        }
        int ia = Float.floatToIntBits(a);
        int ib = Float.floatToIntBits(b);
        if ((ia < 0) != (ib < 0)) {
            return a == b ? 0 : Integer.MAX_VALUE;
        }
        return Math.abs(ia - ib);
    }
}
