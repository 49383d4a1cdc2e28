package dev.kiln.xgboost.train;

import dev.kiln.InvalidArgumentException;
import dev.kiln.KilnException;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Schema;
import dev.kiln.training.TrainingData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Training rows read once from the lakehouse into flat float arrays (row-major features, labels,
 * weights, groups) split into a training and an evaluation part; no per-row objects on the way.
 */
final class TrainingMatrix {
    /**
     * Columns read at once from an ordered source. DuckDB scans a wide Parquet row group slower per
     * column than a narrow one (on the measuring machine 21 DOUBLE columns took 2-3 times as long per
     * column as 8), so a wide table is read as several narrower scans of the same snapshot.
     */
    static final int COLUMNS_PER_READ = 8;

    final List<String> features;
    final Map<String, Long> tableVersions;
    final Part train;
    final Part eval;

    /** One side of the split. */
    static final class Part {
        float[] x = new float[1024];
        float[] y = new float[64];
        float[] w;
        long[] group;
        int rows;

        Part() {
        }

        /** A part of known size, filled in place row by row. */
        Part(int rows, int width, boolean weighted) {
            this.x = new float[rows * width];
            this.y = new float[rows];
            this.w = weighted ? new float[rows] : null;
            this.rows = rows;
        }

        void add(Rows source, int width, boolean weighted, boolean grouped) {
            if (rows == y.length) {
                y = Arrays.copyOf(y, rows * 2);
                if (w != null) {
                    w = Arrays.copyOf(w, rows * 2);
                }
                if (group != null) {
                    group = Arrays.copyOf(group, rows * 2);
                }
            }
            if ((rows + 1) * width > x.length) {
                x = Arrays.copyOf(x, Math.max(x.length * 2, (rows + 1) * width));
            }
            if (weighted && w == null) {
                w = new float[y.length];
            }
            if (grouped && group == null) {
                group = new long[y.length];
            }
            set(rows++, source, 0, width + 1 + (weighted ? 1 : 0) + (grouped ? 1 : 0), width, weighted);
        }

        /**
         * Copies the source's current row into row {@code at}: the source holds the needed columns
         * {@code from} (inclusive) to {@code to} (exclusive), in the order features, label, weight,
         * group. The arrays must already hold row {@code at}.
         */
        void set(int at, Rows source, int from, int to, int width, boolean weighted) {
            int base = at * width;
            for (int c = from; c < to; c++) {
                double value = source.getDouble(c - from);
                if (c < width) {
                    x[base + c] = (float) value;
                } else if (c == width) {
                    if (Double.isNaN(value)) {
                        throw new InvalidArgumentException("A training row has a NULL label; filter those rows out first.");
                    }
                    y[at] = (float) value;
                } else if (c == width + 1 && weighted) {
                    w[at] = (float) value;
                } else {
                    group[at] = (long) value;
                }
            }
        }

        float[] features(int width) {
            return x.length == rows * width ? x : Arrays.copyOf(x, rows * width);
        }

        float[] labels() {
            return y.length == rows ? y : Arrays.copyOf(y, rows);
        }

        float[] weights() {
            return w == null || w.length == rows ? w : Arrays.copyOf(w, rows);
        }

        /** Sizes of consecutive runs of equal group ids, as XGBoost's setGroup wants them. */
        int[] groupSizes() {
            if (group == null) {
                return null;
            }
            List<Integer> sizes = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                if (i == 0 || group[i] != group[i - 1]) {
                    sizes.add(0);
                }
                sizes.set(sizes.size() - 1, sizes.get(sizes.size() - 1) + 1);
            }
            return sizes.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private TrainingMatrix(List<String> features, Map<String, Long> tableVersions, Part train, Part eval) {
        this.features = features;
        this.tableVersions = tableVersions;
        this.train = train;
        this.eval = eval;
    }

    static TrainingMatrix load(Lakehouse lake, TrainingData data) {
        TrainingSource source = TrainingSource.of(lake, data);
        Schema schema = source.schema();
        List<String> features = new ArrayList<>();
        if (data.features().isEmpty()) {
            for (Field f : schema.fields()) {
                String n = f.name();
                if (!n.equalsIgnoreCase(data.label()) && !n.equalsIgnoreCase(String.valueOf(data.weight()))
                        && !n.equalsIgnoreCase(String.valueOf(data.group()))) {
                    features.add(n);
                }
            }
        } else {
            features.addAll(data.features());
        }
        List<String> needed = new ArrayList<>(features);
        needed.add(data.label());
        if (data.weight() != null) {
            needed.add(data.weight());
        }
        if (data.group() != null) {
            needed.add(data.group());
        }
        for (String column : needed) {
            Field field = schema.field(column).orElseThrow(() -> new InvalidArgumentException("Training column '" + column
                    + "' is not in the training data (columns: " + schema.names() + ")."));
            if (!numeric(field.type())) {
                throw new InvalidArgumentException("Training column '" + column + "' is " + field.type().sql()
                        + "; XGBoost needs numbers: encode it in SQL first (e.g. CASE, or a category code).");
            }
        }
        int width = features.size();
        boolean weighted = data.weight() != null;
        boolean grouped = data.group() != null;
        long rowCount = grouped ? -1 : source.count();
        Part train;
        Part eval;
        if (rowCount >= 0 && rowCount * (width + 2L) < Integer.MAX_VALUE) {
            Part[] parts = readSized(source, needed, (int) rowCount, width, weighted, data.evalFraction(), data.seed());
            train = parts[0];
            eval = parts[1];
        } else {
            train = new Part();
            eval = new Part();
            try (Rows rows = source.read(needed)) {
                long index = 0;
                while (rows.next()) {
                    long key = grouped ? (long) rows.getDouble(needed.size() - 1) : index;
                    (heldOut(key, data.evalFraction(), data.seed()) ? eval : train).add(rows, width, weighted, grouped);
                    index++;
                }
            }
        }
        if (train.rows == 0) {
            throw new InvalidArgumentException("The training data has no rows" + (eval.rows > 0 ? " left after the evaluation split" : "") + ".");
        }
        return new TrainingMatrix(List.copyOf(features), source.tableVersions(), train, eval);
    }

    /**
     * Reads a source of known row count straight into exactly sized arrays: the split depends only
     * on the row index, so both parts' sizes are known before the first row arrives. An ordered
     * source is read {@link #COLUMNS_PER_READ} columns at a time, each read filling its columns of
     * the same rows.
     */
    private static Part[] readSized(TrainingSource source, List<String> needed, int rowCount, int width, boolean weighted,
            double evalFraction, long seed) {
        BitSet held = new BitSet(evalFraction > 0 ? rowCount : 0);
        for (int i = 0; evalFraction > 0 && i < rowCount; i++) {
            if (heldOut(i, evalFraction, seed)) {
                held.set(i);
            }
        }
        Part train = new Part(rowCount - held.cardinality(), width, weighted);
        Part eval = new Part(held.cardinality(), width, weighted);
        int step = source.ordered() ? COLUMNS_PER_READ : needed.size();
        for (int from = 0; from < needed.size(); from += step) {
            int to = Math.min(needed.size(), from + step);
            int trainAt = 0;
            int evalAt = 0;
            int index = 0;
            try (Rows rows = source.read(needed.subList(from, to))) {
                while (rows.next()) {
                    if (index == rowCount) {
                        throw new KilnException("The training data changed while it was read (more rows than counted); retry.");
                    }
                    if (held.get(index)) {
                        eval.set(evalAt++, rows, from, to, width, weighted);
                    } else {
                        train.set(trainAt++, rows, from, to, width, weighted);
                    }
                    index++;
                }
            }
            if (index != rowCount) {
                throw new KilnException("The training data changed while it was read (fewer rows than counted); retry.");
            }
        }
        return new Part[] {train, eval};
    }

    private static boolean numeric(DataType type) {
        return type instanceof DataType.Decimal || type == DataType.Primitive.BOOLEAN || type == DataType.Primitive.TINYINT
                || type == DataType.Primitive.SMALLINT || type == DataType.Primitive.INT || type == DataType.Primitive.BIGINT
                || type == DataType.Primitive.FLOAT || type == DataType.Primitive.DOUBLE;
    }

    /** Whether the row with this key goes to the evaluation part; both reads split through here, so they agree. */
    private static boolean heldOut(long key, double evalFraction, long seed) {
        return evalFraction > 0 && unit(key, seed) < evalFraction;
    }

    /** A uniform value in [0, 1) from a key and a seed (SplitMix64), so the split is the same every run. */
    static double unit(long key, long seed) {
        long z = key * 0x9E3779B97F4A7C15L + seed;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
