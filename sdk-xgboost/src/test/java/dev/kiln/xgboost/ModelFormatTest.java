package dev.kiln.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.InvalidArgumentException;
import dev.kiln.MalformedModelException;
import dev.kiln.SchemaMismatchException;
import dev.kiln.NotFoundException;
import dev.kiln.UnsupportedFeatureException;
import dev.kiln.predict.FeatureRow;
import dev.kiln.predict.FeatureType;
import dev.kiln.predict.Predictor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Older file layouts, category names, loading paths and the errors callers see. */
class ModelFormatTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static float[] margins(Predictor p, float[] x, int rows) {
        float[] out = new float[rows * p.signature().marginCount()];
        float[] row = new float[p.signature().width()];
        float[] m = new float[p.signature().marginCount()];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * row.length, row, 0, row.length);
            p.predictMargin(row, m);
            System.arraycopy(m, 0, out, r * m.length, m.length);
        }
        return out;
    }

    /** Rewrites a 3.4 JSON model the way XGBoost 1.6 to 2.x wrote it. */
    static byte[] legacy(byte[] modern) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(modern);
        root.set("version", JSON.readTree("[1,6,0]"));
        ObjectNode learner = (ObjectNode) root.get("learner");
        ObjectNode lmp = (ObjectNode) learner.get("learner_model_param");
        String bs = lmp.get("base_score").asText();
        if (bs.startsWith("[") && !bs.contains(",")) {
            lmp.put("base_score", bs.substring(1, bs.length() - 1));
        }
        ObjectNode gb = (ObjectNode) learner.get("gradient_booster");
        ObjectNode model = (ObjectNode) gb.get("model");
        model.remove("iteration_indptr");
        model.remove("cats");
        for (JsonNode t : model.get("trees")) {
            ObjectNode tree = (ObjectNode) t;
            ArrayNode bools = JSON.createArrayNode();
            for (JsonNode v : tree.get("default_left")) {
                bools.add(v.asInt() != 0);
            }
            tree.set("default_left", bools);
        }
        if (model.has("weight_drop")) {
            JsonNode weights = model.remove("weight_drop");
            ObjectNode inner = JSON.createObjectNode();
            inner.put("name", "gbtree");
            inner.set("model", model);
            ObjectNode dart = JSON.createObjectNode();
            dart.put("name", "dart");
            dart.set("gbtree", inner);
            dart.set("weight_drop", weights);
            learner.set("gradient_booster", dart);
        }
        return JSON.writeValueAsBytes(root);
    }

    @Test
    void readsOlderLayoutsTheSameWay() throws Exception {
        for (String booster : List.of("gbtree", "dart")) {
            Fixtures.Trained t = Fixtures.train("binary:logistic", booster, 6, Map.of("num_parallel_tree", 2), false, 2);
            byte[] old = legacy(t.json());
            assertThat(new String(old, StandardCharsets.UTF_8)).doesNotContain("iteration_indptr");
            Predictor modern = Predictor.load(t.json());
            Predictor legacy = Predictor.load(old);
            assertThat(legacy.signature().booster()).isEqualTo(booster);
            assertThat(margins(legacy, t.x(), t.rows())).isEqualTo(margins(modern, t.x(), t.rows()));
        }
    }

    @Test
    void categoryNamesMapToCodes() throws Exception {
        Fixtures.Trained t = Fixtures.train("binary:logistic", "gbtree", 5, Map.of(), true, 8);
        List<String> colours = List.of("red", "green", "blue", "cyan", "magenta", "yellow", "black");
        for (boolean perFeature : new boolean[] {true, false}) {
            ObjectNode root = (ObjectNode) JSON.readTree(t.json());
            ObjectNode model = (ObjectNode) root.at("/learner/gradient_booster/model");
            ObjectNode cats = JSON.createObjectNode();
            ArrayNode enc = cats.putArray("enc");
            if (perFeature) {
                for (int i = 0; i < Fixtures.CAT; i++) {
                    enc.addObject();
                }
            }
            ObjectNode col = enc.addObject();
            ArrayNode offsets = col.putArray("offsets");
            ArrayNode values = col.putArray("values");
            offsets.add(0);
            for (String c : colours) {
                for (byte b : c.getBytes(StandardCharsets.UTF_8)) {
                    values.add(b);
                }
                offsets.add(values.size());
            }
            cats.putArray("feature_segments");
            cats.putArray("sorted_idx");
            model.set("cats", cats);
            Predictor p = Predictor.load(JSON.writeValueAsBytes(root));
            assertThat(p.signature().features().get(Fixtures.CAT).type()).isEqualTo(FeatureType.CATEGORICAL);
            assertThat(p.signature().features().get(Fixtures.CAT).categories()).isEqualTo(colours);
            float[] row = java.util.Arrays.copyOf(t.x(), Fixtures.COLS);
            FeatureRow named = p.newRow();
            for (int j = 0; j < Fixtures.CAT; j++) {
                named.set("f" + j, row[j]);
            }
            for (int code = 0; code < colours.size(); code++) {
                row[Fixtures.CAT] = code;
                named.set("f" + Fixtures.CAT, colours.get(code));
                assertThat(p.predict(named)).isEqualTo(p.predict(row));
            }
            assertThatThrownBy(() -> named.set("f" + Fixtures.CAT, "purple"))
                    .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("purple");
            Map<String, Object> map = new HashMap<>();
            map.put("f0", 0.5);
            map.put("f5", "blue");
            assertThat(p.predict(map)).hasSize(1);
        }
    }

    @Test
    void refusesBadRowsWithClearErrors() throws Exception {
        Fixtures.Trained t = Fixtures.train("multi:softprob", "gbtree", 3, Map.of(), false, 1);
        Predictor multi = Predictor.load(t.ubj());
        assertThatThrownBy(() -> multi.predict(new float[6])).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("3 outputs");
        assertThatThrownBy(() -> multi.predict(new float[5], new float[3])).isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("5 values").hasMessageContaining("6 features");
        assertThatThrownBy(() -> multi.predict(new float[6], new float[2])).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> multi.predictBatch(new float[13], 2)).isInstanceOf(SchemaMismatchException.class);
        FeatureRow row = multi.newRow();
        assertThatThrownBy(() -> row.set("nope", 1.0)).isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("nope").hasMessageContaining("f0");
        assertThatThrownBy(() -> row.set("f1", "red")).isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("numeric");
        assertThatThrownBy(() -> multi.predict(Map.of("f1", "x"))).isInstanceOf(SchemaMismatchException.class);
    }

    @Test
    void refusesUnsupportedModelsByName() throws Exception {
        Fixtures.Trained linear = Fixtures.train("reg:squarederror", "gblinear", 3, Map.of(), false, 1);
        assertThatThrownBy(() -> Predictor.load(linear.json())).isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("gblinear");
        Fixtures.Trained t = Fixtures.train("reg:squarederror", "gbtree", 2, Map.of(), false, 1);
        ObjectNode root = (ObjectNode) JSON.readTree(t.json());
        ((ObjectNode) root.at("/learner/gradient_booster/model/trees/0/tree_param")).put("size_leaf_vector", "2");
        assertThatThrownBy(() -> Predictor.load(JSON.writeValueAsBytes(root)))
                .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("vector leaves");
        ((ObjectNode) root.at("/learner/objective")).put("name", "my:custom");
        assertThatThrownBy(() -> Predictor.load(JSON.writeValueAsBytes(root)))
                .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("my:custom");
    }

    @Test
    void refusesThingsThatAreNotModels(@TempDir Path dir) {
        for (String s : List.of("", "   ", "hello", "{}", "[1,2]", "{\"learner\": 3}", "{\"learner\": {")) {
            assertThatThrownBy(() -> Predictor.load(s.getBytes(StandardCharsets.UTF_8)))
                    .as(s).isInstanceOf(MalformedModelException.class);
        }
        assertThatThrownBy(() -> Predictor.load(dir.resolve("missing.json"))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("missing.json");
    }

    @Test
    void loadsFromPathStreamAndBytes(@TempDir Path dir) throws Exception {
        Fixtures.Trained t = Fixtures.train("reg:squarederror", "gbtree", 4, Map.of(), false, 3);
        Path json = dir.resolve("m.json");
        Path ubj = dir.resolve("m.ubj");
        t.booster().saveModel(json.toString());
        t.booster().saveModel(ubj.toString());
        float[] expected = margins(Predictor.load(t.json()), t.x(), 50);
        assertThat(margins(Predictor.load(json), t.x(), 50)).isEqualTo(expected);
        assertThat(margins(Predictor.load(ubj), t.x(), 50)).isEqualTo(expected);
        assertThat(margins(Predictor.load(new ByteArrayInputStream(Files.readAllBytes(ubj))), t.x(), 50))
                .isEqualTo(expected);
    }
}
