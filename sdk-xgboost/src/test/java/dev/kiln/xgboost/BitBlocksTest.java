package dev.kiln.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.predict.Predictor;
import dev.kiln.predict.PredictorOptions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/** Batches scored 64 rows at a time with bit masks give XGBoost4J's margins bit for bit. */
class BitBlocksTest {
    static final int F = 8;

    /** Training data with missing values in every feature. */
    static float[] data(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * F];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(10) == 0 ? Float.NaN : (float) r.nextGaussian();
        }
        return x;
    }

    static Booster train(String objective, int trees, int depth, Map<String, Object> extra) throws Exception {
        int n = 3000;
        float[] x = data(n, 17);
        float[] y = new float[n];
        Random r = new Random(19);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < F; j++) {
                float v = x[i * F + j];
                s += Float.isNaN(v) ? 0.3 : (j % 2 == 0 ? v : v * v - 1);
            }
            s += 0.5 * r.nextGaussian();
            y[i] = objective.startsWith("multi:") ? (s < -1 ? 0 : s < 1 ? 1 : 2) : s > 0 ? 1 : 0;
        }
        DMatrix d = new DMatrix(x, n, F, Float.NaN);
        d.setLabel(y);
        Map<String, Object> p = new HashMap<>(extra);
        p.put("objective", objective);
        p.put("max_depth", depth);
        p.put("eta", 0.1);
        p.put("nthread", 2);
        p.put("seed", 1);
        p.put("verbosity", 0);
        Booster b = XGBoost.train(d, p, trees, new HashMap<>(), null, null);
        d.dispose();
        return b;
    }

    /** Probes at thresholds, missing and signed zeros, then random rows, {@code count} in all. */
    static float[] rows(XgbModel model, int count) {
        float[] probes = Fixtures.probes(model, data(500, 23), 500, F, 2000);
        float[] out = new float[count * F];
        System.arraycopy(probes, 0, out, 0, Math.min(probes.length, out.length));
        if (probes.length < out.length) {
            float[] more = data(count, 29);
            System.arraycopy(more, probes.length, out, probes.length, out.length - probes.length);
        }
        return out;
    }

    static Predictor bits(byte[] bytes, PredictorOptions options) {
        Compiled c = new Compiled(XgbModel.parse(bytes), Compiled.Kernel.BITS);
        assertThat(c.bits).as("bit-parallel batches").isNotNull();
        return new XgbPredictor(c, options);
    }

    static void assertSameBits(float[] ours, float[][] theirs, int groups, String what) {
        for (int i = 0; i < theirs.length; i++) {
            for (int g = 0; g < groups; g++) {
                assertThat(Float.floatToIntBits(ours[i * groups + g]))
                        .as("%s row %d group %d: ours %s, xgboost %s", what, i, g, ours[i * groups + g], theirs[i][g])
                        .isEqualTo(Float.floatToIntBits(theirs[i][g]));
            }
        }
    }

    @Test
    void marginsMatchXGBoostForEveryBlockTail() throws Exception {
        Booster b = train("binary:logistic", 60, 6, Map.of());
        byte[] bytes = b.toByteArray("ubj");
        PredictorOptions margins = PredictorOptions.builder().outputMargin(true).threads(2).build();
        Predictor p = bits(bytes, margins);
        // 4096-row chunks over two threads, then every tail length of a 64-row block
        for (int n : new int[] {1, 7, 8, 63, 64, 65, 127, 130, 2 * 4096 + 37}) {
            float[] x = rows(XgbModel.parse(bytes), n);
            DMatrix d = new DMatrix(x, n, F, Float.NaN);
            float[][] theirs = b.predict(d, true);
            d.dispose();
            assertSameBits(p.predictBatch(x, n), theirs, 1, n + " rows");
            // transformed outputs go through the same margins
            float[] probs = p.withOptions(PredictorOptions.builder().threads(2).build()).predictBatch(x, n);
            for (int i = 0; i < n; i++) {
                assertThat(probs[i]).isEqualTo(Objective.sigmoid(theirs[i][0]));
            }
        }
        b.dispose();
    }

    @Test
    void depthEightTreesAndAMissingMarkerMatchXGBoost() throws Exception {
        Booster b = train("binary:logistic", 40, 8, Map.of());
        byte[] bytes = b.toByteArray("json");
        assertThat(XgbModel.parse(bytes).maxDepth).isEqualTo(8);
        int n = 1000;
        float[] x = rows(XgbModel.parse(bytes), n);
        // -999 marks missing in the caller's data, NaN stays missing too
        float[] marked = x.clone();
        for (int i = 0; i < marked.length; i += 5) {
            marked[i] = -999f;
        }
        DMatrix d = new DMatrix(marked, n, F, -999f);
        float[][] theirs = b.predict(d, true);
        d.dispose();
        Predictor p = bits(bytes, PredictorOptions.builder().outputMargin(true).missing(-999f).build());
        assertSameBits(p.predictBatch(marked, n), theirs, 1, "missing -999");
        b.dispose();
    }

    @Test
    void multiClassMarginsAndProbabilitiesMatchXGBoost() throws Exception {
        Booster b = train("multi:softprob", 30, 5, Map.of("num_class", 3));
        byte[] bytes = b.toByteArray("ubj");
        int n = 777;
        float[] x = rows(XgbModel.parse(bytes), n);
        DMatrix d1 = new DMatrix(x, n, F, Float.NaN);
        float[][] margins = b.predict(d1, true);
        d1.dispose();
        DMatrix d2 = new DMatrix(x, n, F, Float.NaN);
        float[][] probs = b.predict(d2, false);
        d2.dispose();
        Predictor p = bits(bytes, PredictorOptions.builder().outputMargin(true).build());
        assertSameBits(p.predictBatch(x, n), margins, 3, "softprob margins");
        float[] ours = p.withOptions(PredictorOptions.defaults()).predictBatch(x, n);
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < 3; g++) {
                assertThat(Fixtures.ulps(ours[i * 3 + g], probs[i][g])).as("row %d class %d", i, g)
                        .isLessThanOrEqualTo(1);
            }
        }
        b.dispose();
    }

    @Test
    void infinitiesAndExtremesFollowTheTreeWalk() throws Exception {
        // XGBoost4J refuses infinite inputs, so the per-row tree walk (XGBoost's rule: x < cond goes left) is the reference
        Booster b = train("binary:logistic", 50, 6, Map.of());
        byte[] bytes = b.toByteArray("ubj");
        b.dispose();
        float[] special = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.MIN_VALUE, -Float.MIN_VALUE, 0f, -0f, Float.NaN};
        int n = 300;
        float[] x = data(n, 31);
        Random r = new Random(37);
        for (int i = 0; i < x.length; i++) {
            if (r.nextInt(3) == 0) {
                x[i] = special[r.nextInt(special.length)];
            }
        }
        PredictorOptions margins = PredictorOptions.builder().outputMargin(true).build();
        Predictor walk = new XgbPredictor(new Compiled(XgbModel.parse(bytes), Compiled.Kernel.WALK), margins);
        float[] expected = walk.predictBatch(x, n);
        float[] ours = bits(bytes, margins).predictBatch(x, n);
        for (int i = 0; i < n; i++) {
            assertThat(Float.floatToIntBits(ours[i])).as("row %d %s", i, Arrays.toString(Arrays.copyOfRange(x,
                    i * F, i * F + F))).isEqualTo(Float.floatToIntBits(expected[i]));
        }
    }

    @Test
    void autoPicksBitsForLargeEnsemblesOnlyAndNeverForDeepTrees() throws Exception {
        Booster big = train("binary:logistic", 40, 6, Map.of());
        assertThat(new Compiled(XgbModel.parse(big.toByteArray("ubj"))).bits).isNotNull();
        big.dispose();
        Booster small = train("binary:logistic", 3, 3, Map.of());
        assertThat(new Compiled(XgbModel.parse(small.toByteArray("ubj"))).bits).as("3 shallow trees").isNull();
        small.dispose();
        Booster deep = train("binary:logistic", 10, 10, Map.of());
        byte[] bytes = deep.toByteArray("ubj");
        Compiled c = new Compiled(XgbModel.parse(bytes), Compiled.Kernel.BITS);
        assertThat(c.depth).isGreaterThan(BitBlocks.MAX_DEPTH);
        assertThat(c.bits).isNull();
        // and the batch still matches XGBoost through the row kernels
        int n = 200;
        float[] x = rows(XgbModel.parse(bytes), n);
        DMatrix d = new DMatrix(x, n, F, Float.NaN);
        float[][] theirs = deep.predict(d, true);
        d.dispose();
        assertSameBits(new XgbPredictor(c, PredictorOptions.builder().outputMargin(true).build()).predictBatch(x, n),
                theirs, 1, "depth " + c.depth);
        deep.dispose();
    }
}
