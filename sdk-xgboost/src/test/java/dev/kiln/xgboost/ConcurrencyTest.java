package dev.kiln.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.predict.Predictor;
import dev.kiln.predict.PredictorOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many threads scoring one predictor get exactly the answers of one thread. */
class ConcurrencyTest {

    @Test
    void manyThreadsOnePredictor() throws Exception {
        Fixtures.Trained t = Fixtures.train("multi:softprob", "gbtree", 20, Map.of(), false, 17);
        Fixtures.Trained cat = Fixtures.train("binary:logistic", "dart", 20, Map.of(), true, 18);
        for (Fixtures.Trained model : List.of(t, cat)) {
            for (PredictorOptions options : List.of(PredictorOptions.defaults(),
                    PredictorOptions.builder().missing(0f).threads(3).build())) {
                Predictor p = Predictor.load(model.ubj(), options);
                int rows = 2000;
                float[] data = Fixtures.features(99, rows, true);
                int out = p.signature().outputCount();
                float[] expected = new float[rows * out];
                float[] o = new float[out];
                float[] row = new float[Fixtures.COLS];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(data, r * Fixtures.COLS, row, 0, Fixtures.COLS);
                    p.predict(row, o);
                    System.arraycopy(o, 0, expected, r * out, out);
                }
                ExecutorService pool = Executors.newFixedThreadPool(8);
                try {
                    List<Future<Boolean>> results = new ArrayList<>();
                    for (int th = 0; th < 8; th++) {
                        int seed = th;
                        Callable<Boolean> job = () -> {
                            Random rnd = new Random(seed);
                            float[] myRow = new float[Fixtures.COLS];
                            float[] myOut = new float[out];
                            for (int k = 0; k < 20_000; k++) {
                                int r = rnd.nextInt(rows);
                                System.arraycopy(data, r * Fixtures.COLS, myRow, 0, Fixtures.COLS);
                                p.predict(myRow, myOut);
                                for (int g = 0; g < out; g++) {
                                    if (Float.floatToIntBits(myOut[g]) != Float.floatToIntBits(expected[r * out + g])) {
                                        return false;
                                    }
                                }
                                if (k % 5000 == 0 && !java.util.Arrays.equals(p.predictBatch(data, rows), expected)) {
                                    return false;
                                }
                            }
                            return true;
                        };
                        results.add(pool.submit(job));
                    }
                    for (Future<Boolean> f : results) {
                        assertThat(f.get()).isTrue();
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }
}
