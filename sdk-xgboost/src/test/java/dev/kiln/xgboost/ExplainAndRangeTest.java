package dev.kiln.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.predict.Predictor;
import dev.kiln.predict.PredictorOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Contributions, leaf indices, iteration ranges, best_iteration and the missing value against XGBoost4J. */
class ExplainAndRangeTest {

    @ParameterizedTest(name = "{0} {1} categorical={2}")
    @CsvSource({"binary:logistic,gbtree,false", "reg:squarederror,dart,false", "multi:softprob,gbtree,false",
        "binary:logistic,gbtree,true", "count:poisson,gbtree,false", "multi:softmax,dart,true"})
    void contributionsAndLeavesMatchXGBoost(String objective, String booster, boolean categorical) throws Exception {
        Map<String, Object> extra = new HashMap<>();
        extra.put("num_parallel_tree", 2);
        extra.put("subsample", 0.8);
        Fixtures.Trained t = Fixtures.train(objective, booster, 6, extra, categorical, 5);
        Booster oracle = XGBoost.loadModel(t.ubj());
        Predictor p = Predictor.load(t.ubj());
        int n = 80;
        float[] rows = java.util.Arrays.copyOf(t.x(), n * t.cols());
        DMatrix d = new DMatrix(rows, n, t.cols(), Float.NaN);
        float[][] contribs = oracle.predictContrib(d, 0);
        float[][] leaves = oracle.predictLeaf(d, 0);
        d.dispose();
        int groups = p.signature().marginCount();
        float[] row = new float[t.cols()];
        float[] margins = new float[groups];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows, i * t.cols(), row, 0, t.cols());
            float[] ours = p.contributions(row);
            assertThat(ours).hasSize(contribs[i].length);
            for (int k = 0; k < ours.length; k++) {
                float tol = 1e-5f * Math.max(1f, Math.abs(contribs[i][k]));
                assertThat(ours[k]).as("row %d contribution %d", i, k).isCloseTo(contribs[i][k],
                        org.assertj.core.data.Offset.offset(tol));
            }
            // each group's contributions add up to its margin
            p.predictMargin(row, margins);
            for (int g = 0; g < groups; g++) {
                double sum = 0;
                for (int k = 0; k <= t.cols(); k++) {
                    sum += ours[g * (t.cols() + 1) + k];
                }
                assertThat(sum).isCloseTo(margins[g], org.assertj.core.data.Offset.offset(1e-4));
            }
            int[] leaf = p.predictLeaf(row);
            assertThat(leaf).hasSize(leaves[i].length);
            for (int k = 0; k < leaf.length; k++) {
                assertThat((float) leaf[k]).isEqualTo(leaves[i][k]);
            }
        }
        oracle.dispose();
    }

    @Test
    void iterationRangesSliceRoundsLikeXGBoost() throws Exception {
        Map<String, Object> extra = Map.of("num_parallel_tree", 2);
        for (String objective : List.of("binary:logistic", "multi:softprob")) {
            Fixtures.Trained t = Fixtures.train(objective, "gbtree", 10, extra, false, 9);
            Booster oracle = XGBoost.loadModel(t.json());
            Predictor all = Predictor.load(t.json());
            int n = 50;
            float[] rows = java.util.Arrays.copyOf(t.x(), n * t.cols());
            for (int[] range : new int[][] {{0, 3}, {2, 7}, {9, 10}, {0, 10}}) {
                float[][] expected = oracle.inplace_predict(rows, n, t.cols(), Float.NaN, range,
                        Booster.PredictionType.kMargin, null);
                Predictor p = all.withOptions(PredictorOptions.builder().iterationRange(range[0], range[1])
                        .outputMargin(true).build());
                float[] ours = p.predictBatch(rows, n);
                int g = p.signature().marginCount();
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < g; k++) {
                        assertThat(Float.floatToIntBits(ours[i * g + k])).as("%s range %s row %d", objective,
                                java.util.Arrays.toString(range), i).isEqualTo(Float.floatToIntBits(expected[i][k]));
                    }
                }
            }
            oracle.dispose();
        }
    }

    @Test
    void bestIterationIsOptIn() throws Exception {
        Fixtures.Trained t = Fixtures.train("binary:logistic", "gbtree", 10, Map.of(), false, 4);
        t.booster().setAttr("best_iteration", "3");
        byte[] bytes = t.booster().toByteArray("json");
        Booster oracle = XGBoost.loadModel(bytes);
        Predictor p = Predictor.load(bytes);
        assertThat(p.signature().bestIteration()).isEqualTo(3);
        Predictor best = Predictor.load(bytes, PredictorOptions.builder().useBestIteration(true).build());
        int n = 30;
        float[] rows = java.util.Arrays.copyOf(t.x(), n * t.cols());
        float[][] allRounds = oracle.inplace_predict(rows, n, t.cols(), Float.NaN, new int[] {0, 0},
                Booster.PredictionType.kMargin, null);
        float[][] upToBest = oracle.inplace_predict(rows, n, t.cols(), Float.NaN, new int[] {0, 4},
                Booster.PredictionType.kMargin, null);
        float[] row = new float[t.cols()];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows, i * t.cols(), row, 0, t.cols());
            assertThat(p.predictMargin(row)).isEqualTo(allRounds[i][0]);
            assertThat(best.predictMargin(row)).isEqualTo(upToBest[i][0]);
        }
        oracle.dispose();
    }

    @Test
    void configuredMissingValueMatchesXGBoost() throws Exception {
        Fixtures.Trained t = Fixtures.train("reg:squarederror", "gbtree", 6, Map.of(), false, 12);
        Booster oracle = XGBoost.loadModel(t.json());
        int n = 100;
        float[] rows = java.util.Arrays.copyOf(t.x(), n * t.cols());
        for (int i = 0; i < rows.length; i += 7) {
            rows[i] = -999f;
        }
        DMatrix d = new DMatrix(rows, n, t.cols(), -999f);
        float[][] expected = oracle.predict(d, true);
        d.dispose();
        Predictor p = Predictor.load(t.json(), PredictorOptions.builder().missing(-999f).build());
        float[] row = new float[t.cols()];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows, i * t.cols(), row, 0, t.cols());
            assertThat(Float.floatToIntBits(p.predictMargin(row))).isEqualTo(Float.floatToIntBits(expected[i][0]));
        }
        float[] batch = p.withOptions(p.options().toBuilder().outputMargin(true).build()).predictBatch(rows, n);
        for (int i = 0; i < n; i++) {
            assertThat(batch[i]).isEqualTo(expected[i][0]);
        }
        oracle.dispose();
    }
}
