package dev.kiln.benchmarks.predict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Models and inputs for the predictor benchmarks: binary:logistic models trained with XGBoost4J on
 * synthetic data with a fixed seed (cached under java.io.tmpdir, so each shape trains once), or a
 * model and a CSV input given with {@code -p model=PATH -p input=PATH}.
 */
final class BenchModels {
    static final int FEATURES = 20;
    static final long SEED = 20240611L;

    private BenchModels() {
    }

    /** Synthetic rows: gaussian features, about 5% missing. */
    static float[] rows(int rows, int features, long seed) {
        Random r = new Random(seed);
        float[] x = new float[rows * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(20) == 0 ? Float.NaN : (float) r.nextGaussian();
        }
        return x;
    }

    /**
     * Returns the model file: {@code path} when given, else a generated one.
     *
     * @param path a model file, or empty
     * @param shape {@code TREESxDEPTH}, for example {@code 100x6}
     * @return the model file
     */
    static Path model(String path, String shape) {
        if (path != null && !path.isEmpty()) {
            return Path.of(path);
        }
        String[] parts = shape.split("x");
        int trees = Integer.parseInt(parts[0]);
        int depth = Integer.parseInt(parts[1]);
        Path file = Path.of(System.getProperty("java.io.tmpdir"),
                "kiln-bench-binary-logistic-" + trees + "x" + depth + "-" + FEATURES + "f-" + SEED + ".ubj");
        if (Files.exists(file)) {
            return file;
        }
        try {
            int n = 50_000;
            float[] x = rows(n, FEATURES, SEED);
            float[] y = new float[n];
            Random r = new Random(SEED + 1);
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < FEATURES; j++) {
                    float v = x[i * FEATURES + j];
                    if (!Float.isNaN(v)) {
                        s += (j % 3 == 0 ? v : j % 3 == 1 ? v * v - 1 : Math.sin(3 * v)) / (1 + j % 5);
                    }
                }
                y[i] = s + 0.5 * r.nextGaussian() > 0 ? 1 : 0;
            }
            DMatrix d = new DMatrix(x, n, FEATURES, Float.NaN);
            d.setLabel(y);
            Map<String, Object> p = new HashMap<>();
            p.put("objective", "binary:logistic");
            p.put("max_depth", depth);
            p.put("eta", 0.1);
            p.put("tree_method", "hist");
            p.put("seed", 1);
            p.put("verbosity", 0);
            Booster b = XGBoost.train(d, p, trees, new HashMap<>(), null, null);
            d.dispose();
            Path tmp = Files.createTempFile(file.getParent(), "kiln-bench", ".ubj");
            Files.write(tmp, b.toByteArray("ubj"));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            b.dispose();
            return file;
        } catch (XGBoostError | IOException e) {
            throw new IllegalStateException("Cannot build the benchmark model " + file + ": " + e, e);
        }
    }

    /**
     * Returns {@code rows} input rows: read from a CSV with a header (empty field = missing) and
     * repeated as needed, or generated.
     *
     * @param path a CSV file, or empty
     * @param rows how many rows
     * @param width the row width the model takes
     * @return row-major values
     */
    static float[] input(String path, int rows, int width) {
        if (path == null || path.isEmpty()) {
            return rows(rows, width, SEED + 2);
        }
        try {
            List<String> lines = Files.readAllLines(Path.of(path), StandardCharsets.UTF_8);
            List<float[]> parsed = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != width) {
                    throw new IllegalArgumentException("Input rows must have " + width + " fields: " + line);
                }
                float[] row = new float[width];
                for (int j = 0; j < width; j++) {
                    row[j] = f[j].isBlank() ? Float.NaN : Float.parseFloat(f[j].trim());
                }
                parsed.add(row);
            }
            float[] x = new float[rows * width];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(parsed.get(i % parsed.size()), 0, x, i * width, width);
            }
            return x;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
