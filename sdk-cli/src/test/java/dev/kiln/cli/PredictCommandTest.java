package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln predict} on a CSV file, checked against XGBoost4J's own predictions for the same rows. */
class PredictCommandTest {
    @TempDir
    Path dir;

    private Booster trained() throws Exception {
        int rows = 500;
        float[] x = new float[rows * 2];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            x[2 * i] = (i * 37 % 101) / 101f;
            x[2 * i + 1] = (i * 13 % 17) / 17f;
            y[i] = x[2 * i] + 0.3f * x[2 * i + 1] > 0.6f ? 1 : 0;
        }
        DMatrix train = new DMatrix(x, rows, 2, Float.NaN);
        train.setLabel(y);
        train.setFeatureNames(new String[] {"a", "b"});
        Map<String, Object> params = new HashMap<>(Map.of("objective", "binary:logistic", "max_depth", 3, "nthread", 1));
        Booster booster = XGBoost.train(train, params, 10, new HashMap<>(), null, null);
        train.dispose();
        return booster;
    }

    private static CliRun predict(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PredictCommand.run(args, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(code, out.toString(), err.toString());
    }

    @Test
    void scoresEachLineLikeXGBoost4JWithQuotedFieldsAndColumnsInAnyOrder() throws Exception {
        Booster booster = trained();
        Path model = dir.resolve("model.json");
        booster.saveModel(model.toString());
        // columns swapped, a quoted field, an empty field (missing), a CRLF line end
        Path input = dir.resolve("in.csv");
        Files.writeString(input, "b,a\r\n0.5,0.25\r\n\"0.75\",0.9\n,0.4\n", StandardCharsets.UTF_8);
        float[][] expected = booster.predict(new DMatrix(new float[] {0.25f, 0.5f, 0.9f, 0.75f, 0.4f, Float.NaN}, 3, 2, Float.NaN));
        booster.dispose();

        CliRun run = predict("--model", model.toString(), "--input", input.toString());

        assertThat(run.code()).as(run.err()).isZero();
        String[] lines = run.out().strip().split("\n");
        assertThat(lines).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(Float.parseFloat(lines[i])).isCloseTo(expected[i][0], org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void anUnterminatedQuoteOrAnUnknownColumnIsAnErrorNamingTheLine() throws Exception {
        Booster booster = trained();
        Path model = dir.resolve("model.json");
        booster.saveModel(model.toString());
        booster.dispose();
        Path quote = dir.resolve("quote.csv");
        Files.writeString(quote, "a,b\n0.1,\"0.2\n", StandardCharsets.UTF_8);
        Path unknown = dir.resolve("unknown.csv");
        Files.writeString(unknown, "a,c\n0.1,0.2\n", StandardCharsets.UTF_8);

        CliRun quoted = predict("--model", model.toString(), "--input", quote.toString());
        CliRun column = predict("--model", model.toString(), "--input", unknown.toString());

        assertThat(quoted.code()).isEqualTo(1);
        assertThat(quoted.err()).contains("Line 2").contains("unterminated quote");
        assertThat(column.code()).isEqualTo(1);
        assertThat(column.err()).contains("'c'").contains("not a model feature");
    }
}
