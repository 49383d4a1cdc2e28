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
 * batch (at most a second late, or at 256 events, on {@link #flush()} and on close), so auditing
 * adds no commit to each action. A JVM that is killed loses the events of its last second.
 */
final class AuditLog implements AutoCloseable {
    static final String TABLE = "audit";
    static final String COLUMNS = "time TIMESTAMP, principal STRING, action STRING, securable_type STRING, securable_name STRING, "
            + "outcome STRING, details MAP<STRING, STRING>";
    private static final int BATCH = 256;

    private final SystemTables system;
    private final List<Object[]> buffer = new ArrayList<>();
    private ScheduledExecutorService flusher;

    AuditLog(SystemTables system) {
        this.system = system;
    }

    synchronized void record(Principal principal, String action, Securable securable, String outcome, Map<String, String> details) {
        buffer.add(new Object[] {Instant.now(), principal.name(), action, securable.type().name(), securable.name(), outcome, details});
        if (buffer.size() >= BATCH) {
            flush();
        } else if (flusher == null) {
            flusher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kiln-audit-flush");
                t.setDaemon(true);
                return t;
            });
            flusher.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
        }
    }

    synchronized void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        List<Object[]> batch = new ArrayList<>(buffer);
        table().append(WriteSource.values(batch));
        buffer.clear();
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
    public synchronized void close() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        flush();
    }
}
