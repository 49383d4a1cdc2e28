package dev.kiln.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.predict.Feature;
import dev.kiln.predict.FeatureType;
import dev.kiln.predict.Predictor;
import dev.kiln.predict.PredictorOptions;
import dev.kiln.predict.Signature;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Swapping the served version under concurrent calls: every call sees one whole version. */
class FollowingPredictorTest {
    /** A predictor whose every output is its version; it answers through two reads so a torn object would show. */
    record Constant(float a, float b) implements Predictor {
        @Override
        public Signature signature() {
            return new Signature(List.of(new Feature(0, "x", FeatureType.NUMERIC, List.of())), 1, 1, "reg:squarederror", "gbtree", 1, -1);
        }

        @Override
        public PredictorOptions options() {
            return PredictorOptions.defaults();
        }

        @Override
        public Predictor withOptions(PredictorOptions options) {
            return this;
        }

        @Override
        public float predict(float[] row) {
            return a * 1000 + b;
        }

        @Override
        public void predict(float[] row, float[] out) {
            out[0] = predict(row);
        }

        @Override
        public float predictMargin(float[] row) {
            return predict(row);
        }

        @Override
        public void predictMargin(float[] row, float[] out) {
            out[0] = predict(row);
        }

        @Override
        public void predictBatch(float[] rowMajor, int rows, float[] out) {
            for (int i = 0; i < rows; i++) {
                out[i] = predict(rowMajor);
            }
        }

        @Override
        public int[] predictLeaf(float[] row) {
            return new int[0];
        }

        @Override
        public float[] contributions(float[] row) {
            return new float[0];
        }
    }

    @Test
    void callsNeverFailNorMixVersionsDuringSwaps() throws Exception {
        FollowingPredictor p = new FollowingPredictor(ModelUri.alias("m", "champion"), PredictorOptions.defaults(),
                new AliasPredictor.Pinned(1, new Constant(1, 1)));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong bad = new AtomicLong();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                float[] row = {0};
                while (!stop.get()) {
                    float y = p.predict(row);
                    if (y % 1001 != 0) {
                        bad.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (int v = 2; v <= 2000; v++) {
            p.swap(new AliasPredictor.Pinned(v, new Constant(v, v)));
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(bad.get()).isZero();
        assertThat(p.version()).isEqualTo(2000);
        assertThat(p.predict(new float[] {0})).isEqualTo(2000 * 1001f);
    }
}
