package dev.kiln.xgboost;

import dev.kiln.InvalidArgumentException;
import dev.kiln.KilnException;
import dev.kiln.SchemaMismatchException;
import dev.kiln.UnsupportedFeatureException;
import dev.kiln.predict.Feature;
import dev.kiln.predict.FeatureType;
import dev.kiln.predict.Predictor;
import dev.kiln.predict.PredictorOptions;
import dev.kiln.predict.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The XGBoost predictor: immutable, thread-safe, allocation-free on single {@code float[]} rows. */
final class XgbPredictor implements Predictor {
    private static final int BATCH_CHUNK = 4096;

    private final Compiled compiled;
    private final XgbModel model;
    private final PredictorOptions options;
    private final Signature signature;
    private final int width;
    private final int groups;
    private final int outputs;
    private final int t0;
    private final int t1;
    private final float base0;
    private final boolean mapMissing;
    private final float missing;
    private final ThreadLocal<float[]> scratch;

    XgbPredictor(Compiled compiled, PredictorOptions options) {
        this.compiled = compiled;
        this.model = compiled.model;
        this.options = options;
        this.width = model.numFeature;
        this.groups = model.groups;
        this.outputs = model.objective.output == Objective.Out.ARGMAX ? 1 : groups;
        int rounds = model.rounds();
        int begin = options.iterationBegin();
        int end = options.iterationEnd();
        if (end == 0 && begin == 0 && options.useBestIteration() && model.bestIteration >= 0) {
            end = Math.min(rounds, model.bestIteration + 1);
        }
        if (end == 0) {
            end = rounds;
        }
        if (begin > rounds || end > rounds) {
            throw new InvalidArgumentException("Iteration range [" + options.iterationBegin() + ", "
                    + options.iterationEnd() + ") is beyond the model's " + rounds + " boosting rounds.");
        }
        this.t0 = model.iterIndptr[Math.min(begin, end)];
        this.t1 = model.iterIndptr[end];
        this.base0 = model.baseMargin[0];
        this.missing = options.missing();
        this.mapMissing = !Float.isNaN(missing);
        this.scratch = mapMissing ? ThreadLocal.withInitial(() -> new float[width]) : null;
        this.signature = signature(model, outputs);
    }

    private static Signature signature(XgbModel m, int outputs) {
        List<Feature> features = new ArrayList<>(m.numFeature);
        for (int i = 0; i < m.numFeature; i++) {
            String name = m.featureNames.length > 0 ? m.featureNames[i] : "f" + i;
            if (name.isEmpty()) {
                name = "f" + i;
            }
            FeatureType type = m.featureTypes.length > 0 ? FeatureType.fromXGBoost(m.featureTypes[i])
                    : FeatureType.NUMERIC;
            features.add(new Feature(i, name, type, type == FeatureType.CATEGORICAL ? m.categoryNames[i] : List.of()));
        }
        return new Signature(features, outputs, m.groups, m.objectiveName, m.booster, m.rounds(), m.bestIteration);
    }

    @Override
    public Signature signature() {
        return signature;
    }

    @Override
    public PredictorOptions options() {
        return options;
    }

    @Override
    public Predictor withOptions(PredictorOptions newOptions) {
        return new XgbPredictor(compiled, newOptions);
    }

    // ------------------------------------------------------------ rows

    private float[] input(float[] row) {
        if (row.length != width) {
            throw wrongWidth(row.length);
        }
        if (!mapMissing) {
            return row;
        }
        float[] x = scratch.get();
        for (int i = 0; i < width; i++) {
            float v = row[i];
            x[i] = v == missing ? Float.NaN : v;
        }
        return x;
    }

    private SchemaMismatchException wrongWidth(int got) {
        return new SchemaMismatchException("The row has " + got + " values but the model takes " + width
                + " features (" + preview() + "); pass them in that order, NaN for missing.");
    }

    private String preview() {
        List<String> names = signature.features().stream().limit(8).map(Feature::name).toList();
        return String.join(", ", names) + (width > 8 ? ", ..." : "");
    }

    private float margin1(float[] x) {
        return compiled.margin1(x, t0, t1, base0);
    }

    private void marginN(float[] x, float[] out, int off) {
        System.arraycopy(model.baseMargin, 0, out, off, groups);
        compiled.marginN(x, t0, t1, out, off);
    }

    @Override
    public float predict(float[] row) {
        if (outputs != 1 || (options.outputMargin() && groups != 1)) {
            throw new InvalidArgumentException("The model has " + (options.outputMargin() ? groups : outputs)
                    + " outputs per row; use predict(row, out).");
        }
        if (groups == 1) {
            float m = margin1(input(row));
            return options.outputMargin() ? m : transform1(model.objective, m);
        }
        // multi:softmax: one output from several groups
        float[] x = input(row);
        float best = Float.NEGATIVE_INFINITY;
        int arg = 0;
        float[] acc = new float[groups];
        marginN(x, acc, 0);
        for (int g = 0; g < groups; g++) {
            if (g == 0 || acc[g] > best) {
                best = acc[g];
                arg = g;
            }
        }
        return arg;
    }

    @Override
    public void predict(float[] row, float[] out) {
        if (options.outputMargin()) {
            predictMargin(row, out);
            return;
        }
        if (out.length < outputs) {
            throw shortOut(out.length, outputs);
        }
        float[] x = input(row);
        if (groups == 1) {
            out[0] = margin1(x);
            model.objective.transform(out, 0, 1, out, 0);
            return;
        }
        if (outputs == groups && out.length >= groups) {
            marginN(x, out, 0);
            model.objective.transform(out, 0, groups, out, 0);
        } else {
            float[] acc = new float[groups];
            marginN(x, acc, 0);
            model.objective.transform(acc, 0, groups, out, 0);
        }
    }

    private static InvalidArgumentException shortOut(int got, int need) {
        return new InvalidArgumentException("The output array has room for " + got + " values but " + need
                + " are needed.");
    }

    @Override
    public float predictMargin(float[] row) {
        if (groups != 1) {
            throw new InvalidArgumentException("The model has " + groups
                    + " output groups; use predictMargin(row, out).");
        }
        return margin1(input(row));
    }

    @Override
    public void predictMargin(float[] row, float[] out) {
        if (out.length < groups) {
            throw shortOut(out.length, groups);
        }
        float[] x = input(row);
        if (groups == 1) {
            out[0] = margin1(x);
        } else {
            marginN(x, out, 0);
        }
    }

    // ------------------------------------------------------------ batches

    @Override
    public void predictBatch(float[] rowMajor, int rows, float[] out) {
        if (rows < 0 || (long) rows * width != rowMajor.length) {
            throw new SchemaMismatchException("The batch holds " + rowMajor.length + " values, not " + rows
                    + " rows of " + width + " features.");
        }
        boolean margin = options.outputMargin();
        int per = margin ? groups : outputs;
        if (out.length < (long) rows * per) {
            throw shortOut(out.length, rows * per);
        }
        int threads = Math.min(options.effectiveThreads(), Math.max(1, rows / BATCH_CHUNK));
        if (threads <= 1) {
            new BatchWorker(margin).score(rowMajor, 0, rows, out);
            return;
        }
        // chunks handed out one at a time, so a thread that gets less CPU does less of the work
        int chunks = (rows + BATCH_CHUNK - 1) / BATCH_CHUNK;
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            BatchWorker w = new BatchWorker(margin);
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                int from = c * BATCH_CHUNK;
                w.score(rowMajor, from, Math.min(rows, from + BATCH_CHUNK), out);
            }
        };
        List<Future<?>> futures = new ArrayList<>(threads - 1);
        for (int k = 1; k < threads; k++) {
            futures.add(Pool.EXECUTOR.submit(worker));
        }
        RuntimeException failure = null;
        try {
            worker.run();
        } catch (RuntimeException e) {
            next.set(chunks);
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                next.set(chunks);
                throw new KilnException("Interrupted while scoring a batch.", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re
                            : new KilnException("Batch scoring failed: " + e.getCause(), e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** One thread's share of a batch, with its working memory allocated once for all its chunks. */
    private final class BatchWorker {
        private final boolean margin;
        private final int per;
        private final float[] x = new float[width];
        private final float[] acc = groups > 1 ? new float[groups] : null;
        private final BitBlocks.Scratch bits;
        private final float[] xs;
        private final int[] qs;
        private final float[] m;

        BatchWorker(boolean margin) {
            this.margin = margin;
            this.per = margin ? groups : outputs;
            BitBlocks b = compiled.bits;
            this.bits = b == null ? null : b.scratch();
            boolean blocks = b == null && groups == 1 && compiled.blocked();
            this.xs = blocks ? new float[Compiled.BLOCK * width] : null;
            this.qs = blocks ? new int[Compiled.BLOCK * 2 * width] : null;
            this.m = blocks ? new float[Compiled.BLOCK] : null;
        }

        /** Scores rows [from, to) of {@code data} into {@code out}. */
        void score(float[] data, int from, int to, float[] out) {
            int r = bits != null ? bitBlocks(data, from, to, out) : from;
            if (xs != null) {
                r = rowBlocks(data, r, to, out);
            }
            rows(data, r, to, out);
        }

        private int bitBlocks(float[] data, int from, int to, float[] out) {
            BitBlocks b = compiled.bits;
            Objective obj = model.objective;
            float[] a = bits.acc;
            // values equal to `missing` are missing; NaN is missing anyway
            float miss = mapMissing ? missing : Float.NaN;
            for (int r = from; r < to; r += BitBlocks.ROWS) {
                int n = Math.min(BitBlocks.ROWS, to - r);
                b.margins(data, r, n, miss, t0, t1, model.baseMargin, bits);
                if (groups == 1) {
                    for (int i = 0; i < n; i++) {
                        out[r + i] = margin ? a[i] : transform1(obj, a[i]);
                    }
                } else if (margin) {
                    System.arraycopy(a, 0, out, r * groups, n * groups);
                } else {
                    for (int i = 0; i < n; i++) {
                        obj.transform(a, i * groups, groups, out, (r + i) * per);
                    }
                }
            }
            return to;
        }

        private int rowBlocks(float[] data, int from, int to, float[] out) {
            Objective obj = model.objective;
            int block = Compiled.BLOCK;
            int r = from;
            for (; r + block <= to; r += block) {
                int base = r * width;
                if (mapMissing) {
                    for (int i = 0; i < block * width; i++) {
                        float v = data[base + i];
                        xs[i] = v == missing ? Float.NaN : v;
                    }
                } else {
                    System.arraycopy(data, base, xs, 0, block * width);
                }
                compiled.block1(xs, qs, t0, t1, base0, m, 0);
                for (int b = 0; b < block; b++) {
                    out[r + b] = margin ? m[b] : transform1(obj, m[b]);
                }
            }
            return r;
        }

        private void rows(float[] data, int from, int to, float[] out) {
            Objective obj = model.objective;
            for (int r = from; r < to; r++) {
                int base = r * width;
                if (mapMissing) {
                    for (int i = 0; i < width; i++) {
                        float v = data[base + i];
                        x[i] = v == missing ? Float.NaN : v;
                    }
                } else {
                    System.arraycopy(data, base, x, 0, width);
                }
                if (groups == 1) {
                    float mg = compiled.margin1(x, t0, t1, base0);
                    out[r] = margin ? mg : transform1(obj, mg);
                } else {
                    marginN(x, acc, 0);
                    if (margin) {
                        System.arraycopy(acc, 0, out, r * per, groups);
                    } else {
                        obj.transform(acc, 0, groups, out, r * per);
                    }
                }
            }
        }
    }

    private static float transform1(Objective obj, float m) {
        switch (obj.output) {
            case SIGMOID:
                return Objective.sigmoid(m);
            case EXP:
                return (float) Math.exp(m);
            case HINGE:
                return m > 0f ? 1f : 0f;
            case ARGMAX:
                return 0f;
            case SOFTMAX:
                return 1f;
            default:
                return m;
        }
    }

    // ------------------------------------------------------------ explanations

    @Override
    public int[] predictLeaf(float[] row) {
        float[] x = input(row);
        int[] out = new int[t1 - t0];
        for (int t = t0; t < t1; t++) {
            out[t - t0] = model.trees[t].leaf(x);
        }
        return out;
    }

    @Override
    public float[] contributions(float[] row) {
        float[] x = input(row).clone();
        return TreeShap.contributions(model, x, t0, t1);
    }

    /** Daemon threads shared by batch scoring. */
    static final class Pool {
        static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(new ThreadFactory() {
            private final AtomicInteger n = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(r, "kiln-predict-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            }
        });

        private Pool() {
        }
    }

    static UnsupportedFeatureException noCover() {
        return new UnsupportedFeatureException("The model has no node statistics (sum_hessian), which "
                + "contributions need; re-save it with XGBoost >= 1.0.");
    }
}
