package dev.kiln.cli;

import dev.kiln.KilnException;
import dev.kiln.internal.CsvLine;
import dev.kiln.predict.Feature;
import dev.kiln.predict.FeatureType;
import dev.kiln.predict.Predictor;
import dev.kiln.predict.PredictorOptions;
import dev.kiln.predict.Signature;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kiln predict}: scores a CSV file with an XGBoost model (JSON or UBJSON), in process.
 *
 * <p>The input has a header naming the model's features (or {@code f0..fN-1}), in any order; an
 * empty field is missing. Categorical features take a category code or, when the model records
 * them, a category name. The output has one line per input row, the row's outputs separated by
 * commas, each printed with {@link Float#toString(float)}, and no header. Exit codes: 0 success,
 * 1 an error (message on stderr), 2 a usage error.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Score a CSV file with an XGBoost model (.json or .ubj), in pure Java.")
public final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The model (.json or .ubj).")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "CSV with a header of feature names (or f0..fN-1); an empty field is missing.")
    Path input;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the predictions here (default: standard output).")
    Path out;

    @Option(names = "--margin", description = "Print raw margins instead of transformed predictions.")
    boolean margin;

    @Option(names = "--missing", paramLabel = "VALUE", description = "A value that also means missing (NaN always does).")
    Float missing;

    /** Creates the command (picocli instantiates it). */
    public PredictCommand() {
    }

    /**
     * Runs {@code kiln predict} on its own, for tests and embedding.
     *
     * @param args the arguments after {@code predict}
     * @param stdout standard output
     * @param stderr standard error
     * @return the exit code: 0, 1 or 2
     */
    public static int run(String[] args, PrintWriter stdout, PrintWriter stderr) {
        CommandLine cli = new CommandLine(new PredictCommand());
        cli.setOut(stdout);
        cli.setErr(stderr);
        int code = cli.execute(args);
        stdout.flush();
        stderr.flush();
        return code;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            score();
            return 0;
        } catch (KilnException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } finally {
            err.flush();
        }
    }

    private void score() throws IOException {
        PredictorOptions.Builder options = PredictorOptions.builder().outputMargin(margin);
        if (missing != null) {
            options.missing(missing);
        }
        Predictor predictor = Predictor.load(model, options.build());
        Signature sig = predictor.signature();
        int width = sig.width();
        if (!Files.isReadable(input)) {
            throw new KilnException("Cannot read the input file " + input + ".");
        }
        try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8);
                Writer writer = out == null ? new NonClosing(spec.commandLine().getOut())
                        : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new KilnException("The input file " + input + " is empty: it needs a header line.");
            }
            if (header.startsWith("\uFEFF")) {
                header = header.substring(1);
            }
            int[] columnToFeature = mapHeader(parse(header, 1), sig);
            Map<String, Integer>[] codes = categoryCodes(sig);
            float[] row = new float[width];
            float[] result = new float[margin ? sig.marginCount() : sig.outputCount()];
            StringBuilder line = new StringBuilder();
            String text;
            int lineNo = 1;
            while ((text = reader.readLine()) != null) {
                lineNo++;
                if (text.isEmpty()) {
                    continue;
                }
                List<String> fields = parse(text, lineNo);
                if (fields.size() != columnToFeature.length) {
                    throw new KilnException("Line " + lineNo + " of " + input + " has " + fields.size()
                            + " fields but the header has " + columnToFeature.length + ".");
                }
                for (int c = 0; c < fields.size(); c++) {
                    int f = columnToFeature[c];
                    row[f] = value(fields.get(c), sig.features().get(f), codes[f], lineNo);
                }
                predictor.predict(row, result);
                line.setLength(0);
                for (int k = 0; k < result.length; k++) {
                    if (k > 0) {
                        line.append(',');
                    }
                    line.append(Float.toString(result[k]));
                }
                line.append('\n');
                writer.write(line.toString());
            }
        }
    }

    private static int[] mapHeader(List<String> header, Signature sig) {
        Map<String, Integer> byName = sig.index();
        int[] map = new int[header.size()];
        boolean[] seen = new boolean[sig.width()];
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c).trim();
            Integer f = byName.get(name);
            if (f == null && name.matches("f\\d+")) {
                int i = Integer.parseInt(name.substring(1));
                f = i < sig.width() ? i : null;
            }
            if (f == null) {
                throw new KilnException("Column '" + name + "' of the input is not a model feature; the header must "
                        + "name the model's features (" + preview(sig) + ") or f0..f" + (sig.width() - 1) + ".");
            }
            if (seen[f]) {
                throw new KilnException("Feature '" + sig.features().get(f).name() + "' appears twice in the header.");
            }
            seen[f] = true;
            map[c] = f;
        }
        List<String> absent = new ArrayList<>();
        for (int f = 0; f < seen.length; f++) {
            if (!seen[f]) {
                absent.add(sig.features().get(f).name());
            }
        }
        if (!absent.isEmpty()) {
            throw new KilnException("The input has no column for " + absent.size() + " model feature(s): "
                    + (absent.size() > 10 ? absent.subList(0, 10) + "..." : absent)
                    + "; add them (an empty field means missing).");
        }
        return map;
    }

    private static String preview(Signature sig) {
        List<String> names = sig.features().stream().limit(8).map(Feature::name).toList();
        return String.join(", ", names) + (sig.width() > 8 ? ", ..." : "");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Integer>[] categoryCodes(Signature sig) {
        Map<String, Integer>[] codes = new Map[sig.width()];
        for (Feature f : sig.features()) {
            if (f.type() == FeatureType.CATEGORICAL && !f.categories().isEmpty()) {
                Map<String, Integer> m = new HashMap<>();
                for (int i = 0; i < f.categories().size(); i++) {
                    m.putIfAbsent(f.categories().get(i), i);
                }
                codes[f.index()] = m;
            }
        }
        return codes;
    }

    private float value(String field, Feature feature, Map<String, Integer> codes, int lineNo) {
        String s = field.trim();
        if (s.isEmpty()) {
            return Float.NaN;
        }
        if (codes != null) {
            Integer code = codes.get(s);
            if (code != null) {
                return code;
            }
        }
        try {
            return Float.parseFloat(s);
        } catch (NumberFormatException e) {
            String why = feature.type() == FeatureType.CATEGORICAL
                    ? (codes == null ? "the model records no category names, so pass the category code"
                            : "it is not one of the feature's " + codes.size() + " categories")
                    : "the feature is numeric";
            throw new KilnException("Line " + lineNo + " of " + input + ", feature '" + feature.name() + "': '" + s
                    + "' is not a number (" + why + ").");
        }
    }

    private List<String> parse(String line, int lineNo) {
        try {
            return CsvLine.split(line);
        } catch (IllegalArgumentException unterminated) {
            throw new KilnException("Line " + lineNo + " of " + input + " has an unterminated quote.");
        }
    }

    /** Writes to standard output without closing it. */
    private static final class NonClosing extends BufferedWriter {
        NonClosing(PrintWriter target) {
            super(target);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
