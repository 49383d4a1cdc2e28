package dev.kiln.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.predict.Predictor;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service that only scores needs kiln-api, kiln-core and kiln-xgboost (with Jackson, SLF4J and
 * Caffeine): no DuckDB, no Arrow, no XGBoost4J. Runs a scoring program in a JVM with exactly that
 * class path.
 */
class ScoringClassPathTest {
    static final Pattern KEEP = Pattern.compile(".*(sdk-api|sdk-core|sdk-xgboost|kiln-api|kiln-core|kiln-xgboost"
            + "|jackson-core|jackson-databind|jackson-annotations|slf4j-api|caffeine|jspecify|error_prone).*");

    static List<String> scoringClassPath(boolean withXgboost) {
        List<String> keep = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!KEEP.matcher(entry).matches() || entry.contains("test-classes")) {
                continue;
            }
            if (!withXgboost && (entry.contains("sdk-xgboost") || entry.contains("kiln-xgboost"))) {
                continue;
            }
            keep.add(entry);
        }
        return keep;
    }

    static Process run(List<String> cp, Path mainDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, cp) + File.pathSeparator + mainDir,
                ScoringOnlyMain.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    @Test
    void scoresWithOnlyTheScoringModules(@TempDir Path dir) throws Exception {
        Fixtures.Trained t = Fixtures.train("binary:logistic", "gbtree", 10, Map.of(), false, 6);
        Path model = dir.resolve("model.ubj");
        Files.write(model, t.ubj());
        Path csv = dir.resolve("rows.csv");
        StringBuilder sb = new StringBuilder();
        int rows = 40;
        Predictor p = Predictor.load(t.ubj());
        List<String> expected = new ArrayList<>();
        float[] row = new float[Fixtures.COLS];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(t.x(), r * Fixtures.COLS, row, 0, Fixtures.COLS);
            for (int j = 0; j < Fixtures.COLS; j++) {
                sb.append(j > 0 ? "," : "").append(Float.isNaN(row[j]) ? "" : Float.toString(row[j]));
            }
            sb.append('\n');
            expected.add(Integer.toString(Float.floatToIntBits(p.predictMargin(row))));
        }
        Files.writeString(csv, sb);

        // the scoring program alone, copied out of test-classes
        Path mainDir = dir.resolve("main");
        String rel = ScoringOnlyMain.class.getName().replace('.', '/') + ".class";
        Path target = mainDir.resolve(rel);
        Files.createDirectories(target.getParent());
        try (var in = ScoringOnlyMain.class.getClassLoader().getResourceAsStream(rel)) {
            Files.copy(in, target);
        }

        List<String> cp = scoringClassPath(true);
        assertThat(cp).as("class path %s", cp).hasSizeGreaterThanOrEqualTo(5)
                .noneMatch(e -> e.contains("duckdb") || e.contains("arrow") || e.contains("xgboost4j")
                        || e.contains("scala"));
        Process proc = run(cp, mainDir, model.toString(), csv.toString());
        assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(proc.exitValue()).as(out).isZero();
        assertThat(out.lines().toList()).isEqualTo(expected);

        // without kiln-xgboost the error names the module to add
        Process none = run(scoringClassPath(false), mainDir, model.toString(), csv.toString());
        assertThat(none.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(none.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(none.exitValue()).isNotZero();
        assertThat(err).contains("dev.kiln:kiln-xgboost");
    }
}
