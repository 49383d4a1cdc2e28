package dev.kiln.xgboost;

import dev.kiln.predict.Predictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A scoring-only service: loads a model, scores rows from a CSV, prints one margin per line.
 * Run by {@link ScoringClassPathTest} in a JVM with only kiln-api, kiln-core, kiln-xgboost and
 * their small dependencies on the class path.
 */
public final class ScoringOnlyMain {
    private ScoringOnlyMain() {
    }

    public static void main(String[] args) throws Exception {
        for (String absent : List.of("ml.dmlc.xgboost4j.java.Booster", "org.apache.arrow.vector.VectorSchemaRoot",
                "org.duckdb.DuckDBConnection")) {
            try {
                Class.forName(absent);
                System.out.println("PRESENT " + absent);
            } catch (ClassNotFoundException expected) {
                // good
            }
        }
        Predictor p = Predictor.load(Path.of(args[0]));
        StringBuilder out = new StringBuilder();
        float[] m = new float[p.signature().marginCount()];
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String[] parts = line.split(",", -1);
            float[] row = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                row[i] = parts[i].isEmpty() ? Float.NaN : Float.parseFloat(parts[i]);
            }
            p.predictMargin(row, m);
            out.append(Float.floatToIntBits(m[0])).append('\n');
        }
        System.out.print(out);
    }
}
