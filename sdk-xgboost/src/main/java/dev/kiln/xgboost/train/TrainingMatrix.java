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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training rows read once from the lakehouse into flat float arrays (row-major features, labels,
 * weights, groups) split into a training and an evaluation part; no per-row objects on the way.
 */
final class TrainingMatrix {
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
            set(rows++, source, width, weighted, grouped);
        }

        /** Copies the source's current row into row {@code at}; the arrays must already hold it. */
        void set(int at, Rows source, int width, boolean weighted, boolean grouped) {
            int base = at * width;
            for (int c = 0; c < width; c++) {
                x[base + c] = (float) source.getDouble(c);
            }
            double label = source.getDouble(width);
            if (Double.isNaN(label)) {
                throw new InvalidArgumentException("A training row has a NULL label; filter those rows out first.");
            }
            y[at] = (float) label;
            int next = width + 1;
            if (weighted) {
                w[at] = (float) source.getDouble(next++);
            }
            if (grouped) {
                group[at] = (long) source.getDouble(next);
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
        Map<String, Long> versions = new LinkedHashMap<>();
        String base;
        if (data.table() != null) {
            long version = lake.table(data.table()).latest().version();
            versions.put(data.table().toLowerCase(java.util.Locale.ROOT), version);
            base = "SELECT * FROM " + data.table() + " VERSION AS OF " + version; // pinned: the same rows on a rerun
        } else {
            base = data.query();
            data.readTables().forEach((table, version) -> versions.put(table.toLowerCase(java.util.Locale.ROOT), version));
        }
        Schema schema;
        try (Rows probe = lake.sql("SELECT * FROM (" + base + ") AS source LIMIT 0")) {
            schema = probe.schema();
        }
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
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < needed.size(); i++) {
            select.append(i == 0 ? "" : ", ").append('"').append(needed.get(i).replace("\"", "\"\"")).append('"');
        }
        select.append(" FROM (").append(base).append(") AS source");
        int width = features.size();
        boolean weighted = data.weight() != null;
        boolean grouped = data.group() != null;
        long rowCount = data.table() != null && !grouped ? count(lake, base) : -1;
        Part train;
        Part eval;
        if (rowCount >= 0 && rowCount * (width + 2L) < Integer.MAX_VALUE) {
            Part[] parts = readSized(lake, select.toString(), (int) rowCount, width, weighted, data.evalFraction(), data.seed());
            train = parts[0];
            eval = parts[1];
        } else {
            train = new Part();
            eval = new Part();
            try (Rows rows = lake.sql(select.toString())) {
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
        return new TrainingMatrix(List.copyOf(features), versions, train, eval);
    }

    /**
     * Reads a query of known row count straight into exactly sized arrays: the split depends only on
     * the row index, so both parts' sizes are known before the first row arrives.
     */
    private static Part[] readSized(Lakehouse lake, String select, int rowCount, int width, boolean weighted, double evalFraction,
            long seed) {
        int held = 0;
        for (int i = 0; evalFraction > 0 && i < rowCount; i++) {
            if (heldOut(i, evalFraction, seed)) {
                held++;
            }
        }
        Part train = new Part(rowCount - held, width, weighted);
        Part eval = new Part(held, width, weighted);
        int trainAt = 0;
        int evalAt = 0;
        int index = 0;
        try (Rows rows = lake.sql(select)) {
            while (rows.next()) {
                if (index == rowCount) {
                    throw new KilnException("The training data changed while it was read (more rows than counted); retry.");
                }
                if (heldOut(index, evalFraction, seed)) {
                    eval.set(evalAt++, rows, width, weighted, false);
                } else {
                    train.set(trainAt++, rows, width, weighted, false);
                }
                index++;
            }
        }
        if (index != rowCount) {
            throw new KilnException("The training data changed while it was read (fewer rows than counted); retry.");
        }
        return new Part[] {train, eval};
    }

    private static long count(Lakehouse lake, String base) {
        try (Rows rows = lake.sql("SELECT count(*) FROM (" + base + ") AS source")) {
            rows.next();
            return (long) rows.getDouble(0);
        }
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
