package dev.kiln.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.predict.Predictor;
import dev.kiln.predict.PredictorOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Margins bit for bit and outputs within 1 ulp of XGBoost4J 3.4.0, for every objective and booster. */
class ParityTest {

    static final List<String> OBJECTIVES = List.of("binary:logistic", "binary:logitraw", "binary:hinge",
            "reg:squarederror", "reg:logistic", "reg:pseudohubererror", "reg:absoluteerror", "reg:quantileerror",
            "reg:quantileerror@3", "count:poisson", "reg:gamma", "reg:tweedie", "survival:cox", "multi:softmax",
            "multi:softprob", "rank:pairwise", "rank:ndcg", "rank:map");

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String objective : OBJECTIVES) {
            for (String booster : List.of("gbtree", "dart")) {
                out.add(Arguments.of(objective, booster));
            }
        }
        return out.stream();
    }

    static Map<String, Object> extra(String objective) {
        if (objective.equals("reg:quantileerror@3")) {
            return Map.of("quantile_alpha", "[0.1,0.5,0.9]");
        }
        if (objective.equals("reg:quantileerror")) {
            return Map.of("quantile_alpha", "0.3");
        }
        return Map.of();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesXGBoost(String objective, String booster) throws Exception {
        String name = objective.replace("@3", "");
        Fixtures.Trained t = Fixtures.train(name, booster, 8, extra(objective), false, objective.hashCode());
        check(t, name);
    }

    @ParameterizedTest(name = "{0} {1} categorical, 3 parallel trees")
    @MethodSource("cases")
    void matchesXGBoostWithCategoriesAndForests(String objective, String booster) throws Exception {
        String name = objective.replace("@3", "");
        Map<String, Object> extra = new java.util.HashMap<>(extra(objective));
        extra.put("num_parallel_tree", 3);
        extra.put("subsample", 0.8);
        extra.put("colsample_bynode", 0.7);
        Fixtures.Trained t = Fixtures.train(name, booster, 4, extra, true, 31 + objective.hashCode());
        check(t, name);
    }

    static void check(Fixtures.Trained t, String objective) throws Exception {
        for (byte[] bytes : List.of(t.json(), t.ubj())) {
            String format = bytes == t.json() ? "json" : "ubj";
            Booster oracle = XGBoost.loadModel(bytes);
            Predictor p = Predictor.load(bytes);
            XgbModel model = XgbModel.parse(bytes);
            float[] rows = Fixtures.probes(model, t.x(), t.rows(), t.cols(), 300);
            int n = rows.length / t.cols();
            DMatrix d1 = new DMatrix(rows, n, t.cols(), Float.NaN);
            float[][] margins = oracle.predict(d1, true);
            d1.dispose();
            DMatrix d2 = new DMatrix(rows, n, t.cols(), Float.NaN);
            float[][] outputs = oracle.predict(d2, false);
            d2.dispose();
            int groups = p.signature().marginCount();
            assertThat(groups).isEqualTo(margins[0].length);
            assertThat(p.signature().outputCount()).as(objective).isEqualTo(outputs[0].length);
            float[] row = new float[t.cols()];
            float[] m = new float[groups];
            float[] o = new float[p.signature().outputCount()];
            for (int i = 0; i < n; i++) {
                System.arraycopy(rows, i * t.cols(), row, 0, t.cols());
                p.predictMargin(row, m);
                for (int g = 0; g < groups; g++) {
                    assertThat(Float.floatToIntBits(m[g]))
                            .as("%s %s row %d group %d margin: ours %s, xgboost %s, row %s", objective, format, i, g,
                                    m[g], margins[i][g], java.util.Arrays.toString(row))
                            .isEqualTo(Float.floatToIntBits(margins[i][g]));
                }
                p.predict(row, o);
                for (int g = 0; g < o.length; g++) {
                    assertThat(Fixtures.ulps(o[g], outputs[i][g]))
                            .as("%s %s row %d output %d: ours %s, xgboost %s", objective, format, i, g, o[g],
                                    outputs[i][g])
                            .isLessThanOrEqualTo(1);
                }
                if (o.length == 1) {
                    assertThat(Fixtures.ulps(p.predict(row), outputs[i][0])).isLessThanOrEqualTo(1);
                }
            }
            // batch gives the same as rows
            float[] batch = p.withOptions(PredictorOptions.builder().threads(2).build()).predictBatch(rows, n);
            for (int i = 0; i < n; i++) {
                for (int g = 0; g < o.length; g++) {
                    assertThat(Fixtures.ulps(batch[i * o.length + g], outputs[i][g])).isLessThanOrEqualTo(1);
                }
            }
            // every scoring layout gives the same bits
            for (Compiled.Kernel kernel : Compiled.Kernel.values()) {
                Predictor k = new XgbPredictor(new Compiled(XgbModel.parse(bytes), kernel),
                        PredictorOptions.builder().outputMargin(true).build());
                float[] km = k.predictBatch(rows, n);
                for (int i = 0; i < n; i++) {
                    for (int g = 0; g < groups; g++) {
                        assertThat(Float.floatToIntBits(km[i * groups + g])).as("%s %s kernel %s row %d", objective,
                                format, kernel, i).isEqualTo(Float.floatToIntBits(margins[i][g]));
                    }
                }
            }
            oracle.dispose();
        }
    }
}
