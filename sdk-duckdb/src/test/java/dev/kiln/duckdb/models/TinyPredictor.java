package dev.kiln.duckdb.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.Kiln;
import dev.kiln.MalformedModelException;
import dev.kiln.Principal;
import dev.kiln.SchemaMismatchException;
import dev.kiln.duckdb.DuckStorageProvider;
import dev.kiln.models.CoreModelRegistry;
import dev.kiln.predict.Feature;
import dev.kiln.predict.FeatureType;
import dev.kiln.predict.Predictor;
import dev.kiln.predict.Signature;
import dev.kiln.tck.models.ScalarPredictor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal scorer for XGBoost JSON tree models (numeric splits, identity objective), standing in
 * for kiln-xgboost, which is not on this module's test class path.
 */
final class TinyPredictor extends ScalarPredictor {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Signature signature;
    private final float base;
    private final List<int[]> left = new ArrayList<>();
    private final List<int[]> right = new ArrayList<>();
    private final List<int[]> split = new ArrayList<>();
    private final List<float[]> cond = new ArrayList<>();
    private final List<boolean[]> defaultLeft = new ArrayList<>();

    private TinyPredictor(JsonNode root) {
        JsonNode learner = root.path("learner");
        List<Feature> features = new ArrayList<>();
        int width = Integer.parseInt(learner.path("learner_model_param").path("num_feature").asText());
        for (int i = 0; i < width; i++) {
            String name = learner.path("feature_names").path(i).asText("f" + i);
            features.add(new Feature(i, name, FeatureType.fromXGBoost(learner.path("feature_types").path(i).asText("float")), List.of()));
        }
        base = Float.parseFloat(learner.path("learner_model_param").path("base_score").asText("0"));
        JsonNode trees = learner.path("gradient_booster").path("model").path("trees");
        for (JsonNode t : trees) {
            int n = t.path("left_children").size();
            int[] l = new int[n];
            int[] r = new int[n];
            int[] s = new int[n];
            float[] c = new float[n];
            boolean[] d = new boolean[n];
            for (int k = 0; k < n; k++) {
                l[k] = t.path("left_children").path(k).asInt();
                r[k] = t.path("right_children").path(k).asInt();
                s[k] = t.path("split_indices").path(k).asInt();
                c[k] = (float) t.path("split_conditions").path(k).asDouble();
                d[k] = t.path("default_left").path(k).asInt() != 0;
            }
            left.add(l);
            right.add(r);
            split.add(s);
            cond.add(c);
            defaultLeft.add(d);
        }
        signature = new Signature(features, 1, 1, learner.path("objective").path("name").asText(), "gbtree", trees.size(), -1);
    }

    static Predictor load(byte[] bytes) {
        try {
            return new TinyPredictor(JSON.readTree(bytes));
        } catch (IOException | RuntimeException e) {
            throw new MalformedModelException("Not a tiny XGBoost JSON model: " + e.getMessage(), e);
        }
    }

    /** Opens a workspace whose registry scores with this class. */
    static Kiln open(Path root, Principal principal, String followInterval) {
        var builder = Kiln.builder().root(root).principal(principal).storage(new DuckStorageProvider());
        if (followInterval != null) {
            builder.property(CoreModelRegistry.FOLLOW_INTERVAL, followInterval);
        }
        Kiln kiln = builder.open();
        ((CoreModelRegistry) kiln.models()).loader(TinyPredictor::load);
        return kiln;
    }

    @Override
    public Signature signature() {
        return signature;
    }

    @Override
    public float predict(float[] row) {
        if (row.length != signature.width()) {
            throw new SchemaMismatchException("Row of " + row.length + " values for " + signature.width() + " features.");
        }
        float sum = base;
        for (int t = 0; t < left.size(); t++) {
            int k = 0;
            int[] l = left.get(t);
            while (l[k] != -1) {
                float x = row[split.get(t)[k]];
                k = Float.isNaN(x) ? (defaultLeft.get(t)[k] ? l[k] : right.get(t)[k]) : x < cond.get(t)[k] ? l[k] : right.get(t)[k];
            }
            sum += cond.get(t)[k];
        }
        return sum;
    }
}
