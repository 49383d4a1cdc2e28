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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>{@link #log} never blocks and never throws for storage reasons: a row is sampled, then copied
 * into a buffer; when the buffer is full the row is dropped and {@link #dropped()} counts it
 * exactly. A single background thread appends batches (one Delta commit per batch) and spends at
 * most a share of its time writing ({@link Builder#writerShare(double)}, 5% by default), so logging
 * cannot take the cores scoring needs: a flood overflows the buffer instead. Rows whose append
 * fails are counted by {@link #failed()}.
 *
 * <p>The buffer is a pool of column chunks (up to 256 rows each, allocated on first need and reused).
 * Each scoring thread fills a chunk of its own, so an accepted row takes no lock, allocates nothing
 * and touches no line another scoring thread writes; a full chunk goes to the writer, which also
 * collects partly filled chunks every flush interval. Because threads fill chunks of their own, a
 * row can be dropped while other threads' chunks still have room: at most one chunk per thread.
 */
public final class InferenceLogger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceLogger.class);

    /** Default largest share of time the writer spends writing; see {@link Builder#writerShare(double)}. */
    public static final double DEFAULT_WRITER_SHARE = 0.05;

    private static final int MAX_CHUNK_ROWS = 256;
    /** Marks a stripe whose thread is writing into its chunk: the writer waits instead of taking it. */
    private static final Object HELD = new Object();
    private static final VarHandle CHUNK;

    static {
        try {
            CHUNK = MethodHandles.lookup().findVarHandle(Stripe.class, "chunk", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Rows column by column; reused once written. Only the thread holding it reads or writes it. */
    private static final class Chunk {
        final long[] micros;
        final long[] latencyMicros;
        final String[] requestIds;
        final float[] features;
        final double[] predictions;
        int size;

        Chunk(int rows, int width) {
            micros = new long[rows];
            latencyMicros = new long[rows];
            requestIds = new String[rows];
            features = new float[rows * width];
            predictions = new double[rows];
        }
    }

    /**
     * One thread's slot: its current chunk (at least one row in it), {@link #HELD} while the thread
     * writes a row, or null. The thread swaps HELD in and its chunk back; the writer takes a chunk
     * with a compare-and-set of its own, so each chunk has one holder at a time.
     */
    private static final class Stripe {
        final Thread owner;
        volatile Object chunk;

        Stripe(Thread owner) {
            this.owner = owner;
        }
    }

    /** The system clock read once, with the nanoTime at that moment, so a row's stamp costs no clock read. */
    private record Anchor(long micros, long nanos) {
    }

    private final Table table;
    private final String modelName;
    private final Long modelVersion;
    private final int width;
    private final double sampleRate;
    private final int batchSize;
    private final long flushNanos;
    private final Clock clock;
    private final boolean systemClock;
    private volatile Anchor anchor;
    private final int chunkRows;
    private final int maxChunks;
    private final AtomicInteger chunks = new AtomicInteger();
    private final ConcurrentLinkedQueue<Chunk> free = new ConcurrentLinkedQueue<>();
    // holds every chunk at once if it must, so handing one over never fails
    private final ArrayBlockingQueue<Chunk> full;
    private final ConcurrentLinkedQueue<Stripe> stripes = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Stripe> stripe = ThreadLocal.withInitial(this::register);
    // Striped counters: every scoring thread bumps them, and one shared cache line would serialise them.
    private final LongAdder accepted = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder sampledOut = new LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Object progress = new Object();
    private final double writerShare;
    private final AtomicLong flushRequests = new AtomicLong();
    private volatile long flushesServed;
    private final Thread writer;
    private volatile boolean closed;

    private InferenceLogger(Builder b) {
        this.modelName = b.modelName;
        this.modelVersion = b.modelVersion;
        this.width = b.featureNames.size();
        this.sampleRate = b.sampleRate;
        this.batchSize = b.batchSize;
        this.flushNanos = b.flushInterval.toNanos();
        this.clock = b.clock;
        this.systemClock = Clock.systemUTC().equals(b.clock.withZone(ZoneOffset.UTC));
        reanchor();
        // small buffers get small chunks, so that one chunk per thread is a small part of the buffer
        this.chunkRows = Math.max(1, Math.min(MAX_CHUNK_ROWS, b.capacity / 64));
        this.maxChunks = Math.max(1, b.capacity / chunkRows);
        this.full = new ArrayBlockingQueue<>(maxChunks);
        this.writerShare = b.writerShare;
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

    private Stripe register() {
        Stripe s = new Stripe(Thread.currentThread());
        stripes.add(s);
        return s;
    }

    /**
     * Offers one prediction to the log. Never blocks, never throws for storage reasons.
     *
     * @param features the input row (copied; missing trailing features are logged as NULL)
     * @param prediction the model's output
     * @param latencyNanos how long scoring took
     * @param requestId the request id, or null
     * @return true if the row was queued, false if sampled out, dropped or closed
     * @throws NullPointerException if features is null
     */
    public boolean log(float[] features, double prediction, long latencyNanos, String requestId) {
        Objects.requireNonNull(features, "features");
        Stripe s = admit();
        return s != null && enqueue(s, features, prediction, latencyNanos, requestId, systemClock ? System.nanoTime() : 0);
    }

    /**
     * Decides, before a prediction is timed, whether its row stands a chance: sampled in, logger
     * open, and a chunk in hand or one to take. A dropped row costs a few reads of lines nobody
     * writes while the buffer stays full, and one striped counter. The answer is a hint; the
     * row is counted when {@link #enqueue} finds the chunk (or not).
     *
     * @return the calling thread's stripe, or null if the row is not to be logged (already counted)
     */
    private Stripe admit() {
        if (sampleRate < 1 && ThreadLocalRandom.current().nextDouble() >= sampleRate) {
            sampledOut.increment();
            return null;
        }
        Stripe s = stripe.get();
        if (closed || (s.chunk == null && free.isEmpty() && chunks.get() >= maxChunks)) {
            dropped.increment();
            return null;
        }
        return s;
    }

    /** Copies a row into the thread's chunk, or counts it dropped when there is none to be had. */
    private boolean enqueue(Stripe s, float[] features, double prediction, long latencyNanos, String requestId, long nanoNow) {
        Chunk c = (Chunk) CHUNK.getAndSet(s, HELD);
        Chunk back = c;
        try {
            // read after HELD is set: a closing writer that saw this stripe free sees this row's drop, else waits for it
            if (closed || c == null && (c = takeChunk()) == null) {
                dropped.increment();
                return false;
            }
            int i = c.size;
            c.micros[i] = micros(nanoNow);
            c.latencyMicros[i] = latencyNanos / 1_000;
            c.requestIds[i] = requestId;
            int n = Math.min(width, features.length);
            System.arraycopy(features, 0, c.features, i * width, n);
            if (n < width) {
                Arrays.fill(c.features, i * width + n, (i + 1) * width, Float.NaN);
            }
            c.predictions[i] = prediction;
            c.size = i + 1;
            accepted.increment();
            if (c.size == c.micros.length) {
                full.add(c); // before the stripe is released, so that a sweep waiting on it finds the chunk
                LockSupport.unpark(writer);
                back = null;
            } else {
                back = c;
            }
            return true;
        } finally {
            CHUNK.setRelease(s, back);
        }
    }

    private Chunk takeChunk() {
        Chunk c = free.poll();
        if (c != null) {
            return c;
        }
        for (int n = chunks.get(); n < maxChunks; n = chunks.get()) {
            if (chunks.compareAndSet(n, n + 1)) {
                return new Chunk(chunkRows, width);
            }
        }
        return null;
    }

    private long micros(long nanoNow) {
        if (systemClock) {
            Anchor a = anchor;
            return a.micros() + Math.floorDiv(nanoNow - a.nanos(), 1_000);
        }
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /** Re-reads the system clock; the writer does it at least every second, so stamps follow clock adjustments. */
    private void reanchor() {
        if (systemClock) {
            Instant now = clock.instant();
            anchor = new Anchor(now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000, System.nanoTime());
        }
    }

    /**
     * Scores a row with a predictor and logs it with its latency. A prediction that throws is not logged.
     *
     * @param predictor the predictor
     * @param row the input row
     * @param requestId the request id, or null
     * @return the prediction
     */
    public float predict(Predictor predictor, float[] row, String requestId) {
        Stripe s = admit();
        if (s == null) {
            return predictor.predict(row); // not logged: not timed either
        }
        long t0 = System.nanoTime();
        float p = predictor.predict(row);
        long t1 = System.nanoTime();
        enqueue(s, Objects.requireNonNull(row, "row"), p, t1 - t0, requestId, t1);
        return p;
    }

    /**
     * Scores a request by entity key (features looked up through the online store) and logs the
     * resolved feature row with the prediction. A prediction that throws is not logged.
     *
     * @param predictor the keyed predictor
     * @param request the keys (and any request-time features)
     * @param requestId the request id, or null
     * @return the prediction
     */
    public float predict(KeyedPredictor predictor, Map<String, ?> request, String requestId) {
        Stripe s = admit();
        if (s == null) {
            return predictor.predict(request);
        }
        long t0 = System.nanoTime();
        float[] row = predictor.row(request);
        float p = predictor.score(row); // the logged row is the one scored: one lookup, not two
        long t1 = System.nanoTime();
        enqueue(s, Objects.requireNonNull(row, "row"), p, t1 - t0, requestId, t1);
        return p;
    }

    private void drain() {
        List<Chunk> batch = new ArrayList<>();
        int rows = 0;
        long served = 0;
        long deadline = System.nanoTime() + flushNanos;
        while (true) {
            reanchor();
            boolean closing = closed;
            long ticket = flushRequests.get();
            if (closing || ticket != served || System.nanoTime() - deadline >= 0) {
                // Everything queued so far: stripes first, since a thread hands a full chunk over
                // before it lets go of its stripe. The sweep counts as writing time.
                long started = System.nanoTime();
                sweep(batch, closing || ticket != served);
                full.drainTo(batch);
                write(batch);
                rows = 0;
                served = ticket;
                synchronized (progress) {
                    flushesServed = ticket;
                    progress.notifyAll();
                }
                if (closing) {
                    return;
                }
                deadline = System.nanoTime() + flushNanos;
                rest(System.nanoTime() - started, ticket);
                continue;
            }
            // whole chunks, as many as fit in one commit
            int enough = Math.max(1, batchSize - chunkRows + 1);
            for (Chunk c; rows < enough && (c = full.poll()) != null; ) {
                batch.add(c);
                rows += c.size;
            }
            if (rows < enough) {
                // parked, not blocked in the queue: a full chunk, flush() and close() all unpark it at once
                LockSupport.parkNanos(this, Math.max(0, Math.min(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(1))));
                if (Thread.interrupted()) {
                    closed = true;
                }
                continue;
            }
            long started = System.nanoTime();
            write(batch);
            rows = 0;
            rest(System.nanoTime() - started, served);
        }
    }

    /**
     * Takes the partly filled chunk of every thread. A thread writing a row into its chunk is skipped
     * on a periodic pass (its chunk is taken next time) and waited for when everything must go out
     * (flush, close); the wait parks, since the holder may be descheduled and spinning would take
     * the core it needs.
     */
    private void sweep(List<Chunk> into, boolean complete) {
        for (Iterator<Stripe> it = stripes.iterator(); it.hasNext(); ) {
            Stripe s = it.next();
            for (int tries = 0; ; tries++) {
                Object o = s.chunk;
                if (o == HELD) {
                    if (!complete) {
                        break;
                    }
                    if (tries < 100) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.parkNanos(this, 50_000);
                    }
                } else if (o == null) {
                    if (!s.owner.isAlive()) {
                        it.remove();
                    }
                    break;
                } else if (CHUNK.compareAndSet(s, o, null)) {
                    into.add((Chunk) o);
                    break;
                }
            }
        }
    }

    /**
     * Keeps the writer to its share of time: after a write that took {@code busyNanos} it pauses so
     * that writing fills at most {@code writerShare} of the time. Under a flood the buffer then fills
     * and rows are dropped (and counted) instead of the writer taking CPU from scoring threads.
     * A {@link #flush} asked for since {@code ticket} (even during the write) or {@link #close} ends the pause.
     */
    private void rest(long busyNanos, long ticket) {
        long pause = (long) (busyNanos * (1 - writerShare) / writerShare);
        long until = System.nanoTime() + pause;
        while (!closed && flushRequests.get() == ticket) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            reanchor();
        }
    }

    /** Appends the chunks' rows, at most a batch per commit, and returns the chunks to the pool. */
    private void write(List<Chunk> chunks) {
        List<Object[]> rows = new ArrayList<>(Math.min(batchSize, chunks.size() * chunkRows));
        for (Chunk c : chunks) {
            for (int r = 0; r < c.size; r++) {
                rows.add(row(c, r));
                if (rows.size() == batchSize) {
                    append(rows);
                    rows.clear();
                }
            }
        }
        append(rows);
        for (Chunk c : chunks) {
            Arrays.fill(c.requestIds, 0, c.size, null);
            c.size = 0;
            free.add(c);
        }
        chunks.clear();
    }

    private Object[] row(Chunk c, int r) {
        Object[] row = new Object[7 + width];
        long micros = c.micros[r];
        row[0] = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000);
        row[1] = modelName;
        row[2] = modelVersion;
        row[3] = c.requestIds[r];
        row[4] = c.latencyMicros[r];
        for (int i = 0, at = r * width; i < width; i++) {
            float v = c.features[at + i];
            row[5 + i] = Float.isNaN(v) ? null : (Double) (double) v;
        }
        row[5 + width] = c.predictions[r];
        return row;
    }

    private void append(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try {
            table.append(WriteSource.values(rows));
            written.addAndGet(rows.size());
        } catch (RuntimeException ex) {
            failed.addAndGet(rows.size());
            LOG.warn("Inference log append to {} failed, {} rows lost: {}", table.name(), rows.size(), ex.toString());
        }
    }

    /**
     * Waits until every row queued before this call is written (or failed), ending the writer's pause.
     *
     * @param timeout how long to wait at most
     * @return true if everything was written in time
     */
    public boolean flush(Duration timeout) {
        long ticket = flushRequests.incrementAndGet();
        LockSupport.unpark(writer);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (flushesServed < ticket) {
                long left = deadline - System.nanoTime();
                if (!writer.isAlive()) {
                    // closed: the writer's last pass wrote everything it had accepted
                    return written.get() + failed.get() == accepted.sum();
                }
                if (left <= 0) {
                    return false;
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
     * Returns the rows offered to {@link #log} (and by the {@code predict} methods).
     *
     * @return the count
     */
    public long offered() {
        // a row between its admission and its copy counts once it is copied (or dropped)
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
         * Sets the buffer capacity in rows (default 65536), rounded down to whole chunks: the buffer is
         * {@code capacity / r} chunks of {@code r = min(256, max(1, capacity / 64))} rows.
         *
         * @param rows the capacity
         * @return this builder
         * @throws InvalidArgumentException if the capacity is below 1
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
         * @throws InvalidArgumentException if the rate is outside (0, 1]
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
