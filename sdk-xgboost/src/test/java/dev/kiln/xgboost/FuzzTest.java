package dev.kiln.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.kiln.MalformedModelException;
import dev.kiln.UnsupportedFeatureException;
import dev.kiln.predict.Predictor;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Thousands of truncated and mutated model files: each one loads (and then scores without error)
 * or is refused with a {@link MalformedModelException} (an {@link UnsupportedFeatureException}
 * when a mutation renames the objective or booster). Never a hang, an OOM or another exception.
 */
class FuzzTest {

    @Test
    void mutatedModelsFailCleanly() throws Exception {
        Fixtures.Trained t = Fixtures.train("multi:softprob", "dart", 3, Map.of("num_parallel_tree", 2), true, 21);
        Fixtures.Trained small = Fixtures.train("binary:logistic", "gbtree", 3, Map.of(), false, 22);
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            int loaded = 0;
            int refused = 0;
            for (byte[] original : new byte[][] {t.json(), t.ubj(), small.json(), small.ubj()}) {
                Random r = new Random(original.length);
                for (int i = 0; i < 1000; i++) {
                    byte[] m = mutate(original, r, i);
                    long start = System.nanoTime();
                    try {
                        Predictor p = Predictor.load(m);
                        loaded++;
                        score(p, t.x());
                    } catch (MalformedModelException | UnsupportedFeatureException e) {
                        refused++;
                        assertThat(e.getMessage()).isNotBlank();
                    } catch (Throwable e) {
                        fail("Mutation " + i + " raised " + e, e);
                    }
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    assertThat(ms).as("mutation %d took %d ms", i, ms).isLessThan(5_000);
                }
            }
            assertThat(refused).isGreaterThan(1000);
            assertThat(loaded + refused).isEqualTo(4000);
        });
    }

    private static void score(Predictor p, float[] x) {
        int w = p.signature().width();
        float[] row = new float[w];
        float[] out = new float[Math.max(p.signature().marginCount(), p.signature().outputCount())];
        for (int r = 0; r < 5; r++) {
            for (int j = 0; j < w; j++) {
                row[j] = j < Fixtures.COLS ? x[r * Fixtures.COLS + j] : Float.NaN;
            }
            p.predict(row, out);
            p.predictMargin(row, out);
            p.predictLeaf(row);
            try {
                p.contributions(row);
            } catch (UnsupportedFeatureException e) {
                // no sum_hessian left after the mutation
            }
        }
    }

    static byte[] mutate(byte[] original, Random r, int i) {
        byte[] m;
        switch (i % 5) {
            case 0: // truncate
                return Arrays.copyOf(original, r.nextInt(original.length));
            case 1: { // flip bits
                m = original.clone();
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    m[r.nextInt(m.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return m;
            }
            case 2: { // random bytes
                m = original.clone();
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    m[r.nextInt(m.length)] = (byte) r.nextInt(256);
                }
                return m;
            }
            case 3: { // delete a run
                int at = r.nextInt(original.length);
                int len = Math.min(original.length - at, 1 + r.nextInt(16));
                m = new byte[original.length - len];
                System.arraycopy(original, 0, m, 0, at);
                System.arraycopy(original, at + len, m, at, original.length - at - len);
                return m;
            }
            default: { // digits and markers swapped for others
                m = original.clone();
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    int at = r.nextInt(m.length);
                    byte b = m[at];
                    if (b >= '0' && b <= '9') {
                        m[at] = (byte) ('0' + r.nextInt(10));
                    } else {
                        byte[] markers = {'[', ']', '{', '}', '$', '#', 'l', 'L', 'i', 'U', 'd', 'D', 'S', '-', ','};
                        m[at] = markers[r.nextInt(markers.length)];
                    }
                }
                return m;
            }
        }
    }
}
