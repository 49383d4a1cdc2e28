package dev.kiln.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.predict.Predictor;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/** A model large enough for the compact rank layout, scored bit for bit like XGBoost. */
class LargeModelTest {

    @Test
    void largeModelsUseTheRankLayoutAndMatch() throws Exception {
        int n = 3000;
        int f = 12;
        Random r = new Random(5);
        float[] x = new float[n * f];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < f; j++) {
                float v = r.nextInt(15) == 0 ? Float.NaN : (float) r.nextGaussian();
                x[i * f + j] = v;
                s += Float.isNaN(v) ? 0 : (j % 2 == 0 ? v : v * v - 1);
            }
            y[i] = s + r.nextGaussian() > 0 ? 1 : 0;
        }
        DMatrix d = new DMatrix(x, n, f, Float.NaN);
        d.setLabel(y);
        Map<String, Object> p = new HashMap<>();
        p.put("objective", "binary:logistic");
        p.put("max_depth", 8);
        p.put("eta", 0.1);
        p.put("nthread", 2);
        p.put("verbosity", 0);
        Booster b = XGBoost.train(d, p, 120, new HashMap<>(), null, null);
        d.dispose();
        byte[] bytes = b.toByteArray("ubj");
        XgbModel model = XgbModel.parse(bytes);
        Compiled compiled = new Compiled(model);
        assertThat(compiled.rankNode).as("rank layout chosen").isNotNull();

        float[] rows = Fixtures.probes(model, x, n, f, 3000);
        int m = rows.length / f;
        DMatrix dm = new DMatrix(rows, m, f, Float.NaN);
        float[][] margins = b.predict(dm, true);
        dm.dispose();
        Predictor pr = Predictor.load(bytes);
        float[] row = new float[f];
        for (int i = 0; i < m; i++) {
            System.arraycopy(rows, i * f, row, 0, f);
            assertThat(Float.floatToIntBits(pr.predictMargin(row))).as("row %d", i)
                    .isEqualTo(Float.floatToIntBits(margins[i][0]));
        }
        b.dispose();
    }
}
