package dev.kiln.governance;

import dev.kiln.KilnException;
import dev.kiln.Principal;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.WriteSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Appends audit events to {@code system.audit}. Events are buffered and written as one commit per
 * batch (at most a second late, or once {@value #BATCH} events are waiting, on {@link #flush()} and
 * on close), so auditing adds no commit to each action. A full batch is committed by the
 * background flusher, not by the thread whose action filled it; only if
 * {@value #BLOCKING} events pile up does the recording thread commit them itself. A JVM that is
 * killed loses the events of its last second.
 */
final class AuditLog implements AutoCloseable {
    static final String TABLE = "audit";
    static final String COLUMNS = "time TIMESTAMP, principal STRING, action STRING, securable_type STRING, securable_name STRING, "
            + "outcome STRING, details MAP<STRING, STRING>";
    private static final int BATCH = 256;
    private static final int BLOCKING = 16 * BATCH;

    private final SystemTables system;
    /** Held while a batch is committed, so that batches land in the order they were taken. */
    private final java.util.concurrent.locks.ReentrantLock committing = new java.util.concurrent.locks.ReentrantLock();
    // ---- guarded by this
    private List<Object[]> buffer = new ArrayList<>();
    private ScheduledExecutorService flusher;
    private boolean flushQueued;

    AuditLog(SystemTables system) {
        this.system = system;
    }

    void record(Principal principal, String action, Securable securable, String outcome, Map<String, String> details) {
        boolean commitHere = false;
        synchronized (this) {
            buffer.add(new Object[] {Instant.now(), principal.name(), action, securable.type().name(), securable.name(), outcome, details});
            if (flusher == null) {
                flusher = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "kiln-audit-flush");
                    t.setDaemon(true);
                    return t;
                });
                flusher.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
            }
            if (buffer.size() >= BLOCKING) {
                commitHere = true;
            } else if (buffer.size() >= BATCH && !flushQueued && !flusher.isShutdown()) {
                flushQueued = true;
                flusher.execute(this::flushQuietly);
            }
        }
        if (commitHere) {
            flush();
        }
    }

    /**
     * Commits every buffered event.
     *
     * @throws KilnException if the audit table cannot be written (the events stay buffered)
     */
    void flush() {
        committing.lock();
        try {
            List<Object[]> batch;
            synchronized (this) {
                flushQueued = false;
                if (buffer.isEmpty()) {
                    return;
                }
                batch = buffer;
                buffer = new ArrayList<>();
            }
            try {
                table().append(WriteSource.values(batch));
            } catch (RuntimeException failed) {
                synchronized (this) {
                    batch.addAll(buffer);
                    buffer = batch;
                }
                throw failed;
            }
        } finally {
            committing.unlock();
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (KilnException e) {
            // kept in the buffer: the next flush tries again
            org.slf4j.LoggerFactory.getLogger(AuditLog.class).warn("Audit flush failed, will retry: {}", e.getMessage());
        }
    }

    List<AuditEvent> read() {
        flush();
        List<AuditEvent> events = new ArrayList<>();
        try (Rows rows = table().latest().scan().rows()) {
            while (rows.next()) {
                @SuppressWarnings("unchecked")
                Map<String, String> details = rows.get(6) == null ? Map.of() : (Map<String, String>) rows.get(6);
                events.add(new AuditEvent((Instant) rows.get(0), Principal.of((String) rows.get(1)), (String) rows.get(2),
                        new Securable(SecurableType.valueOf((String) rows.get(3)), (String) rows.get(4)), (String) rows.get(5), details));
            }
        }
        events.sort(java.util.Comparator.comparing(AuditEvent::time));
        return events;
    }

    private Table table() {
        return system.table(TABLE, COLUMNS);
    }

    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = flusher;
        }
        if (running != null) {
            // not shutdownNow: an interrupt in the middle of a commit would fail it
            running.shutdown();
            try {
                running.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
    }
}
