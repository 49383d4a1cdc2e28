package dev.kiln.monitoring;

import dev.kiln.InvalidArgumentException;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import dev.kiln.predict.KeyedPredictor;
import dev.kiln.predict.Predictor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a model's requests and responses to its inference table, asynchronously and bounded.
 *
 * <p>The table ({@code inference.<model>} by default) has the columns {@code ts TIMESTAMP,
 * model_name STRING, model_version BIGINT, request_id STRING, latency_us BIGINT}, one DOUBLE
 * column per input feature, {@code prediction DOUBLE} and {@code label DOUBLE} (NULL until ground
 * truth is merged in by request id).
 *
 * <p>{@link #log} never blocks and never throws for storage reasons: a row is sampled, then offered
 * to a bounded queue; when the queue is full the row is dropped and {@link #dropped()} counts it
 * exactly. A single background thread appends batches (one Delta commit per batch) and spends at
 * most a share of its time writing ({@link Builder#writerShare(double)}, 5% by default), so logging
 * cannot take the cores scoring needs: a flood overflows the buffer instead. Rows whose append
 * fails are counted by {@link #failed()}.
 */
public final class InferenceLogger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceLogger.class);

    /** Default largest share of time the writer spends writing; see {@link Builder#writerShare(double)}. */
    public static final double DEFAULT_WRITER_SHARE = 0.05;

    private record Entry(long epochMicros, String requestId, long latencyMicros, float[] features, double prediction) {
    }

    private final Table table;
    private final String modelName;
    private final long modelVersion;
    private final int width;
    private final List<String> featureNames;
    private final double sampleRate;
    private final int batchSize;
    private final long flushNanos;
    private final Clock clock;
    private final ArrayBlockingQueue<Entry> queue;
    private final int capacity;
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    // Striped counters: every scoring thread bumps them, and one shared cache line would serialise them.
    private final LongAdder accepted = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder sampledOut = new LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Object progress = new Object();
    private final double writerShare;
    private final java.util.concurrent.atomic.AtomicInteger flushWaiters = new java.util.concurrent.atomic.AtomicInteger();
    private final Thread writer;
    private volatile boolean closed;

    private InferenceLogger(Builder b) {
        this.modelName = b.modelName;
        this.modelVersion = b.modelVersion;
        this.width = b.featureNames.size();
        this.featureNames = b.featureNames;
        this.sampleRate = b.sampleRate;
        this.batchSize = b.batchSize;
        this.flushNanos = b.flushInterval.toNanos();
        this.clock = b.clock;
        this.capacity = b.capacity;
        this.writerShare = b.writerShare;
        this.queue = new ArrayBlockingQueue<>(b.capacity);
        this.table = inferenceTable(b.lakehouse, b.table, b.featureNames);
        this.writer = new Thread(this::drain, "kiln-inference-logger-" + modelName);
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Starts a logger for a model.
     *
     * @param lakehouse where the inference table lives
     * @param modelName the model name
     * @param modelVersion the model version
     * @param featureNames the input features in row order (a predictor's signature)
     * @return a builder
     */
    public static Builder builder(Lakehouse lakehouse, String modelName, long modelVersion, List<String> featureNames) {
        return new Builder(lakehouse, modelName, modelVersion, featureNames);
    }

    /**
     * Returns the default inference table of a model: {@code inference.<name>}, the name reduced to an identifier.
     *
     * @param modelName the model name
     * @return {@code inference.<identifier>}
     */
    public static String defaultTable(String modelName) {
        String id = modelName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return "inference." + (Character.isDigit(id.charAt(0)) ? "_" + id : id);
    }

    static Table inferenceTable(Lakehouse lakehouse, String name, List<String> featureNames) {
        if (lakehouse.tableExists(name)) {
            return lakehouse.table(name);
        }
        List<Field> fields = new ArrayList<>();
        fields.add(Field.of("ts", DataType.Primitive.TIMESTAMP));
        fields.add(Field.of("model_name", DataType.Primitive.STRING));
        fields.add(Field.of("model_version", DataType.Primitive.BIGINT));
        fields.add(Field.of("request_id", DataType.Primitive.STRING));
        fields.add(Field.of("latency_us", DataType.Primitive.BIGINT));
        for (String f : featureNames) {
            fields.add(Field.of(f, DataType.Primitive.DOUBLE));
        }
        fields.add(Field.of("prediction", DataType.Primitive.DOUBLE));
        fields.add(Field.of("label", DataType.Primitive.DOUBLE));
        lakehouse.createSchemaIfNotExists(name.substring(0, name.indexOf('.')));
        try {
            return lakehouse.createTable(TableDefinition.builder(name).schema(new Schema(fields))
                    .description("Inference log: requests, responses and latency of a model.").build());
        } catch (dev.kiln.AlreadyExistsException e) {
            return lakehouse.table(name);
        }
    }

    /**
     * Offers one prediction to the log. Never blocks, never throws for storage reasons.
     *
     * @param features the input row (copied)
     * @param prediction the model's output
     * @param latencyNanos how long scoring took
     * @param requestId the request id, or null
     * @return true if the row was queued, false if sampled out, dropped or closed
     */
    public boolean log(float[] features, double prediction, long latencyNanos, String requestId) {
        return admit() && enqueue(features, prediction, latencyNanos, requestId);
    }

    /**
     * Reserves a buffer slot for an offered row, or counts why not (sampled out, full, closed). A
     * full buffer is seen with a plain read, so a flood of drops writes nothing shared but one
     * striped counter; rows offered are the sum of the outcomes rather than a counter of their own.
     */
    private boolean admit() {
        if (sampleRate < 1 && ThreadLocalRandom.current().nextDouble() >= sampleRate) {
            sampledOut.increment();
            return false;
        }
        if (closed || pending.get() >= capacity) {
            dropped.increment();
            return false;
        }
        if (pending.incrementAndGet() > capacity) {
            pending.decrementAndGet();
            dropped.increment();
            return false;
        }
        return true;
    }

    /** Queues a row whose slot {@link #admit()} reserved. */
    private boolean enqueue(float[] features, double prediction, long latencyNanos, String requestId) {
        Instant now = clock.instant();
        Entry e = new Entry(now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000, requestId,
                latencyNanos / 1_000, features.clone(), prediction);
        if (!queue.offer(e)) { // cannot happen while pending <= capacity; counted as a drop all the same
            pending.decrementAndGet();
            dropped.increment();
            return false;
        }
        accepted.increment();
        return true;
    }

    /**
     * Scores a row with a predictor and logs it with its latency.
     *
     * @param predictor the predictor
     * @param row the input row
     * @param requestId the request id, or null
     * @return the prediction
     */
    public float predict(Predictor predictor, float[] row, String requestId) {
        if (!admit()) {
            return predictor.predict(row); // not logged: not timed either
        }
        long t0 = System.nanoTime();
        float p = predictor.predict(row);
        long t1 = System.nanoTime();
        enqueue(row, p, t1 - t0, requestId);
        return p;
    }

    /**
     * Scores a request by entity key (features looked up through the online store) and logs the
     * resolved feature row with the prediction.
     *
     * @param predictor the keyed predictor
     * @param request the keys (and any request-time features)
     * @param requestId the request id, or null
     * @return the prediction
     */
    public float predict(KeyedPredictor predictor, Map<String, ?> request, String requestId) {
        if (!admit()) {
            return predictor.predict(request);
        }
        long t0 = System.nanoTime();
        float[] row = predictor.row(request);
        float p = predictor.predict(request);
        long t1 = System.nanoTime();
        enqueue(row, p, t1 - t0, requestId);
        return p;
    }

    private void drain() {
        List<Entry> batch = new ArrayList<>(batchSize);
        long deadline = System.nanoTime() + flushNanos;
        while (true) {
            try {
                long wait = Math.max(0, deadline - System.nanoTime());
                Entry e = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (e != null) {
                    batch.add(e);
                    int more = queue.drainTo(batch, batchSize - batch.size());
                    pending.addAndGet(-(1 + more));
                }
            } catch (InterruptedException ie) {
                pending.addAndGet(-queue.drainTo(batch));
                write(batch);
                return;
            }
            boolean due = System.nanoTime() >= deadline;
            if (batch.size() >= batchSize || (due && !batch.isEmpty())) {
                long started = System.nanoTime();
                write(batch);
                batch.clear();
                rest(System.nanoTime() - started);
            }
            if (due) {
                deadline = System.nanoTime() + flushNanos;
            }
            if (closed && queue.isEmpty() && batch.isEmpty()) {
                return;
            }
        }
    }

    /**
     * Keeps the writer to its share of time: after a write that took {@code busyNanos} it pauses so
     * that writing fills at most {@code writerShare} of the time. Under a flood the buffer then fills
     * and rows are dropped (and counted) instead of the writer taking CPU from scoring threads.
     * A waiting {@link #flush} or {@link #close} ends the pause.
     */
    private void rest(long busyNanos) {
        long pause = (long) (busyNanos * (1 - writerShare) / writerShare);
        long until = System.nanoTime() + pause;
        while (!closed && flushWaiters.get() == 0) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    private void write(List<Entry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            writeValues(batch);
            written.addAndGet(batch.size());
        } catch (RuntimeException ex) {
            failed.addAndGet(batch.size());
            LOG.warn("Inference log append to {} failed, {} rows lost: {}", table.name(), batch.size(), ex.toString());
        }
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    private void writeValues(List<Entry> batch) {
        List<Object[]> rows = new ArrayList<>(batch.size());
        for (Entry e : batch) {
            Object[] row = new Object[7 + width];
            row[0] = Instant.ofEpochSecond(Math.floorDiv(e.epochMicros(), 1_000_000),
                    Math.floorMod(e.epochMicros(), 1_000_000) * 1_000);
            row[1] = modelName;
            row[2] = modelVersion;
            row[3] = e.requestId();
            row[4] = e.latencyMicros();
            for (int i = 0; i < width; i++) {
                float v = i < e.features().length ? e.features()[i] : Float.NaN;
                row[5 + i] = Float.isNaN(v) ? null : (double) v;
            }
            row[5 + width] = e.prediction();
            row[6 + width] = null;
            rows.add(row);
        }
        table.append(WriteSource.values(rows));
    }

    /**
     * Waits until every row queued before this call is written (or failed).
     *
     * @param timeout how long to wait at most
     * @return true if everything was written in time
     */
    public boolean flush(Duration timeout) {
        flushWaiters.incrementAndGet();
        LockSupport.unpark(writer);
        try {
            return awaitWritten(accepted.sum(), timeout);
        } finally {
            flushWaiters.decrementAndGet();
        }
    }

    private boolean awaitWritten(long target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (written.get() + failed.get() < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !writer.isAlive()) {
                    return written.get() + failed.get() >= target;
                }
                try {
                    progress.wait(Math.max(1, Math.min(50, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Returns the inference table name.
     *
     * @return {@code schema.table}
     */
    public String table() {
        return table.name();
    }

    /**
     * Returns the rows offered to {@link #log}.
     *
     * @return the count
     */
    public long offered() {
        // a row between its reservation and its queueing counts once it is queued (or dropped)
        return sampledOut.sum() + dropped.sum() + accepted.sum();
    }

    /**
     * Returns the rows queued for writing.
     *
     * @return the count
     */
    public long accepted() {
        return accepted.sum();
    }

    /**
     * Returns the rows dropped because the buffer was full (or the logger closed). Exact.
     *
     * @return the count
     */
    public long dropped() {
        return dropped.sum();
    }

    /**
     * Returns the rows left out by sampling.
     *
     * @return the count
     */
    public long sampledOut() {
        return sampledOut.sum();
    }

    /**
     * Returns the rows written to the table.
     *
     * @return the count
     */
    public long written() {
        return written.get();
    }

    /**
     * Returns the rows whose append failed.
     *
     * @return the count
     */
    public long failed() {
        return failed.get();
    }

    /** Stops accepting rows, writes what is queued and stops the writer thread. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds an {@link InferenceLogger}. */
    public static final class Builder {
        private final Lakehouse lakehouse;
        private final String modelName;
        private final long modelVersion;
        private final List<String> featureNames;
        private String table;
        private int capacity = 65_536;
        private double sampleRate = 1.0;
        private int batchSize = 10_000;
        private Duration flushInterval = Duration.ofSeconds(1);
        private Clock clock = Clock.systemUTC();
        private double writerShare = DEFAULT_WRITER_SHARE;

        private Builder(Lakehouse lakehouse, String modelName, long modelVersion, List<String> featureNames) {
            this.lakehouse = Objects.requireNonNull(lakehouse, "lakehouse");
            this.modelName = Objects.requireNonNull(modelName, "modelName");
            this.modelVersion = modelVersion;
            this.featureNames = List.copyOf(featureNames);
            this.table = defaultTable(modelName);
        }

        /**
         * Sets the inference table (created if missing).
         *
         * @param name {@code schema.table}
         * @return this builder
         */
        public Builder table(String name) {
            this.table = name;
            return this;
        }

        /**
         * Sets the buffer capacity in rows (default 65536).
         *
         * @param rows the capacity
         * @return this builder
         */
        public Builder capacity(int rows) {
            if (rows < 1) {
                throw new InvalidArgumentException("Inference log capacity must be at least 1 row, got " + rows + ".");
            }
            this.capacity = rows;
            return this;
        }

        /**
         * Sets the fraction of predictions logged (default 1).
         *
         * @param rate in (0, 1]
         * @return this builder
         */
        public Builder sampleRate(double rate) {
            if (!(rate > 0 && rate <= 1)) {
                throw new InvalidArgumentException("Inference log sample rate must be in (0, 1], got " + rate + ".");
            }
            this.sampleRate = rate;
            return this;
        }

        /**
         * Sets the largest batch per commit (default 10000) and the longest wait before a partial batch is written (default 1 s).
         *
         * @param rows rows per commit at most
         * @param interval the flush interval
         * @return this builder
         */
        public Builder batching(int rows, Duration interval) {
            this.batchSize = Math.max(1, rows);
            this.flushInterval = interval;
            return this;
        }

        /**
         * Sets the largest share of time the writer thread may spend writing (default
         * {@value InferenceLogger#DEFAULT_WRITER_SHARE}). After each batch it pauses long enough to stay
         * within it, so under a flood of predictions the buffer fills and rows are dropped (counted by
         * {@link InferenceLogger#dropped()}) rather than slowing scoring. Raise it when the machine has
         * spare cores and every row must be kept; 1 never pauses.
         *
         * @param share in (0, 1]
         * @return this builder
         * @throws InvalidArgumentException if the share is outside (0, 1]
         */
        public Builder writerShare(double share) {
            if (!(share > 0 && share <= 1)) {
                throw new InvalidArgumentException("Inference log writer share must be in (0, 1], got " + share + ".");
            }
            this.writerShare = share;
            return this;
        }

        /**
         * Sets the clock stamping rows.
         *
         * @param c the clock
         * @return this builder
         */
        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /**
         * Creates the table if needed and starts the writer thread.
         *
         * @return the logger
         */
        public InferenceLogger open() {
            return new InferenceLogger(this);
        }
    }
}
