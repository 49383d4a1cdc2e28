package dev.kiln.governance;

import dev.kiln.Principal;
import java.time.Instant;
import java.util.Map;

/**
 * One row of the audit log: who tried to do what to which object, when, and how it ended.
 *
 * @param time when the action happened
 * @param principal who acted
 * @param action what was attempted, e.g. {@code table.append}, {@code grant}, {@code model.alias.set}
 * @param securable the object acted on
 * @param outcome {@code ALLOWED} (and done), {@code DENIED} (privilege missing) or {@code FAILED} (an error)
 * @param details further facts (version committed, privilege missing, error message)
 */
public record AuditEvent(Instant time, Principal principal, String action, Securable securable, String outcome,
        Map<String, String> details) {
    /**
     * Copies the details.
     *
     * @param time when
     * @param principal who
     * @param action what
     * @param securable on what
     * @param outcome how it ended
     * @param details further facts
     */
    public AuditEvent {
        details = Map.copyOf(details);
    }
}
