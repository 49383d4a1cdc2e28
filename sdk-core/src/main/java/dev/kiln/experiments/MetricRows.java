package dev.kiln.experiments;

import java.util.AbstractList;
import java.util.Arrays;

/**
 * Metric points waiting for their commit, held in columns: a key reference, the value, step and
 * timestamp in primitive arrays, and the run, experiment and batch once per run of points that share
 * them. A million pending points are a few arrays instead of millions of boxed rows, which the
 * garbage collector would otherwise copy again at every young collection while they wait.
 *
 * <p>As a {@code List<Object[]>} it shows each point as the row {@code {run_id, experiment_id,
 * key, value, step, timestamp, batch_id}}, built on demand; the commit reads the columns directly.
 * Not thread-safe: the tracking store guards it.
 */
final class MetricRows extends AbstractList<Object[]> {
    private String[] keys = new String[1024];
    private double[] values = new double[1024];
    private long[] steps = new long[1024];
    private long[] timestamps = new long[1024];
    /** Per point, the index of its segment (the run, experiment and batch it belongs to). */
    private int[] segmentOf = new int[1024];
    private int size;

    private String[] runs = new String[64];
    private String[] experiments = new String[64];
    private String[] batches = new String[64];
    private int segments;

    /** Appends one point of the given run, experiment and batch. */
    void add(String runId, String experimentId, String batchId, String key, double value, long step, long timestamp) {
        int segment = segments - 1;
        if (segment < 0 || !runs[segment].equals(runId) || !batches[segment].equals(batchId)
                || !experiments[segment].equals(experimentId)) {
            if (segments == runs.length) {
                runs = Arrays.copyOf(runs, segments * 2);
                experiments = Arrays.copyOf(experiments, segments * 2);
                batches = Arrays.copyOf(batches, segments * 2);
            }
            runs[segments] = runId;
            experiments[segments] = experimentId;
            batches[segments] = batchId;
            segment = segments++;
        }
        if (size == keys.length) {
            int grown = size + (size >> 1);
            keys = Arrays.copyOf(keys, grown);
            values = Arrays.copyOf(values, grown);
            steps = Arrays.copyOf(steps, grown);
            timestamps = Arrays.copyOf(timestamps, grown);
            segmentOf = Arrays.copyOf(segmentOf, grown);
        }
        keys[size] = key;
        values[size] = value;
        steps[size] = step;
        timestamps[size] = timestamp;
        segmentOf[size] = segment;
        size++;
        modCount++;
    }

    /** Appends a point given as a row in this list's row layout. */
    @Override
    public boolean add(Object[] row) {
        add((String) row[0], (String) row[1], (String) row[6], (String) row[2], (Double) row[3], (Long) row[4], (Long) row[5]);
        return true;
    }

    @Override
    public Object[] get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        int s = segmentOf[index];
        return new Object[] {runs[s], experiments[s], keys[index], values[index], steps[index], timestamps[index], batches[s]};
    }

    @Override
    public int size() {
        return size;
    }

    String runId(int index) {
        return runs[segmentOf[index]];
    }

    String experimentId(int index) {
        return experiments[segmentOf[index]];
    }

    String batchId(int index) {
        return batches[segmentOf[index]];
    }

    String key(int index) {
        return keys[index];
    }

    double value(int index) {
        return values[index];
    }

    long step(int index) {
        return steps[index];
    }

    long timestamp(int index) {
        return timestamps[index];
    }
}
