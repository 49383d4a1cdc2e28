package dev.kiln.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.predict.FeatureRow;
import dev.kiln.predict.FeatureType;
import dev.kiln.predict.Predictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/** XGBoost's classic agaricus demo set (LIBSVM, 1-based ids, 126 indicator features), absent = missing. */
class AgaricusTest {
    static final int WIDTH = 126;

    record Data(float[] x, float[] y, int rows) {
    }

    static Path dir() {
        String shared = System.getProperty("kiln.shared.dir");
        assertThat(shared).as("system property kiln.shared.dir (set by surefire)").isNotNull();
        Path dir = Path.of(shared, "data", "agaricus");
        assertThat(dir.resolve("agaricus.txt.train")).as("agaricus data under " + dir).exists();
        return dir;
    }

    static Data libsvm(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        float[] x = new float[lines.size() * WIDTH];
        java.util.Arrays.fill(x, Float.NaN);
        float[] y = new float[lines.size()];
        for (int r = 0; r < lines.size(); r++) {
            String[] parts = lines.get(r).trim().split("\\s+");
            y[r] = Float.parseFloat(parts[0]);
            for (int k = 1; k < parts.length; k++) {
                int colon = parts[k].indexOf(':');
                int id = Integer.parseInt(parts[k].substring(0, colon));
                x[r * WIDTH + id - 1] = Float.parseFloat(parts[k].substring(colon + 1));
            }
        }
        return new Data(x, y, lines.size());
    }

    @Test
    void scoresTheTestSetExactlyLikeXGBoost() throws Exception {
        Path dir = dir();
        Data train = libsvm(dir.resolve("agaricus.txt.train"));
        Data test = libsvm(dir.resolve("agaricus.txt.test"));
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("featmap.txt"))) {
            names.add(line.split("\t")[1]);
        }
        String[] types = new String[WIDTH];
        java.util.Arrays.fill(types, "i");

        DMatrix d = new DMatrix(train.x(), train.rows(), WIDTH, Float.NaN);
        d.setLabel(train.y());
        d.setFeatureNames(names.toArray(String[]::new));
        d.setFeatureTypes(types);
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "binary:logistic");
        params.put("max_depth", 6);
        params.put("eta", 0.3);
        params.put("nthread", 1);
        params.put("verbosity", 0);
        Booster b = XGBoost.train(d, params, 20, new HashMap<>(), null, null);
        d.dispose();

        for (String format : List.of("json", "ubj")) {
            byte[] bytes = b.toByteArray(format);
            Booster oracle = XGBoost.loadModel(bytes);
            DMatrix dt = new DMatrix(test.x(), test.rows(), WIDTH, Float.NaN);
            float[][] margins = oracle.predict(dt, true);
            dt.dispose();
            dt = new DMatrix(test.x(), test.rows(), WIDTH, Float.NaN);
            float[][] probs = oracle.predict(dt, false);
            dt.dispose();
            oracle.dispose();

            Predictor p = Predictor.load(bytes);
            assertThat(p.signature().width()).isEqualTo(WIDTH);
            assertThat(p.signature().features().get(0).name()).isEqualTo(names.get(0));
            assertThat(p.signature().features().get(0).type()).isEqualTo(FeatureType.INDICATOR);
            float[] row = new float[WIDTH];
            FeatureRow named = p.newRow();
            for (int r = 0; r < test.rows(); r++) {
                System.arraycopy(test.x(), r * WIDTH, row, 0, WIDTH);
                assertThat(Float.floatToIntBits(p.predictMargin(row))).as("row %d", r)
                        .isEqualTo(Float.floatToIntBits(margins[r][0]));
                assertThat(Fixtures.ulps(p.predict(row), probs[r][0])).isLessThanOrEqualTo(1);
                named.clear();
                for (int j = 0; j < WIDTH; j++) {
                    if (!Float.isNaN(row[j])) {
                        named.set(names.get(j), row[j]);
                    }
                }
                assertThat(p.predict(named)).isEqualTo(p.predict(row));
            }
        }
        b.dispose();
    }
}
