package dev.kiln.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.predict.Feature;
import dev.kiln.predict.FeatureType;
import dev.kiln.predict.PredictorOptions;
import dev.kiln.predict.Signature;
import dev.kiln.tck.models.ScalarPredictor;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Swapping the served version under concurrent calls: every call sees one whole version. */
class FollowingPredictorTest {
    /** A predictor whose every output is its version; it answers through two reads so a torn object would show. */
    static final class Constant extends ScalarPredictor {
        private final float a;
        private final float b;

        Constant(float a, float b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public Signature signature() {
            return new Signature(List.of(new Feature(0, "x", FeatureType.NUMERIC, List.of())), 1, 1, "reg:squarederror", "gbtree", 1, -1);
        }

        @Override
        public float predict(float[] row) {
            return a * 1000 + b;
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
