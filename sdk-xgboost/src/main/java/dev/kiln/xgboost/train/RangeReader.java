package dev.kiln.xgboost.train;

import dev.kiln.KilnException;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Rows;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads a training query of known row count on several connections at once, each taking one
 * contiguous range of rows ({@code LIMIT}/{@code OFFSET} over an order-preserving scan) and writing
 * straight into its place in exactly sized arrays. DuckDB decodes in parallel on its own, but
 * handing values to Java is one thread per result set; splitting the result is what puts the other
 * cores to work. The rows land where a single sequential read would put them, so the model is the
 * same byte for byte.
 */
final class RangeReader {
    /** Below this many rows a second connection costs more than it saves. */
    static final int MIN_ROWS_PER_RANGE = 100_000;

    private RangeReader() {
    }

    /**
     * @return the training part and the held-out evaluation part
     */
    static TrainingMatrix.Part[] read(Lakehouse lake, String select, int rowCount, int width, boolean weighted,
            double evalFraction, long seed) {
        int ranges = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), rowCount / MIN_ROWS_PER_RANGE));
        // Where each range starts in the train and eval arrays: the split depends only on the row index.
        int[] start = new int[ranges + 1];
        int[] trainStart = new int[ranges + 1];
        int held = 0;
        for (int r = 0; r <= ranges; r++) {
            start[r] = (int) ((long) rowCount * r / ranges);
        }
        for (int r = 0, i = 0; r < ranges; r++) {
            trainStart[r] = start[r] - held;
            for (; i < start[r + 1]; i++) {
                if (evalFraction > 0 && TrainingMatrix.unit(i, seed) < evalFraction) {
                    held++;
                }
            }
        }
        trainStart[ranges] = rowCount - held;
        TrainingMatrix.Part train = new TrainingMatrix.Part(rowCount - held, width, weighted);
        TrainingMatrix.Part eval = new TrainingMatrix.Part(held, width, weighted);
        if (ranges == 1) {
            fill(lake, select, 0, rowCount, 0, 0, train, eval, width, weighted, evalFraction, seed);
            return new TrainingMatrix.Part[] {train, eval};
        }
        ExecutorService pool = Executors.newFixedThreadPool(ranges - 1, task -> {
            Thread t = new Thread(task, "kiln-training-read");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> others = new ArrayList<>();
            for (int r = 1; r < ranges; r++) {
                int range = r;
                others.add(pool.submit(() -> fill(lake, select, start[range], start[range + 1], trainStart[range],
                        start[range] - trainStart[range], train, eval, width, weighted, evalFraction, seed)));
            }
            fill(lake, select, 0, start[1], 0, 0, train, eval, width, weighted, evalFraction, seed);
            for (Future<?> other : others) {
                other.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KilnException("Interrupted while reading the training data.", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new KilnException("Reading the training data failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new TrainingMatrix.Part[] {train, eval};
    }

    private static void fill(Lakehouse lake, String select, int from, int to, int trainAt, int evalAt, TrainingMatrix.Part train,
            TrainingMatrix.Part eval, int width, boolean weighted, double evalFraction, long seed) {
        int index = from;
        try (Rows rows = lake.sql(select + " LIMIT " + (to - from) + " OFFSET " + from)) {
            while (rows.next()) {
                if (index == to) {
                    throw new KilnException("The training data changed while it was read (more rows than counted); retry.");
                }
                boolean held = evalFraction > 0 && TrainingMatrix.unit(index, seed) < evalFraction;
                if (held) {
                    eval.set(evalAt++, rows, width, weighted, false);
                } else {
                    train.set(trainAt++, rows, width, weighted, false);
                }
                index++;
            }
        }
        if (index != to) {
            throw new KilnException("The training data changed while it was read (fewer rows than counted); retry.");
        }
    }
}
