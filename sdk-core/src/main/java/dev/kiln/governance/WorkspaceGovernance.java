package dev.kiln.governance;

import dev.kiln.PermissionDeniedException;
import dev.kiln.Principal;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.WriteSource;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Grants, owners and audit of one workspace, kept as event rows in {@code system.grants} (GRANT,
 * REVOKE, OWNER) so that several processes can change them with blind appends. The state is
 * replayed from the table and re-read when the table has a new version, at most every 250 ms, so a
 * change made by another process applies here within that time.
 */
public final class WorkspaceGovernance implements Governance, AutoCloseable {
    static final String GRANTS = "grants";
    static final String GRANT_COLUMNS = "time TIMESTAMP, action STRING, securable_type STRING, securable_name STRING, "
            + "principal STRING, privilege STRING, grantor STRING";
    private static final long REFRESH_NANOS = 250_000_000L;

    private final SystemTables system;
    private final Principal actor;
    private final AuditLog audit;
    private volatile GrantState state;
    private volatile long stateVersion = -1;
    private volatile long checkedAt;

    /**
     * Opens the governance of a workspace for the acting principal; the first principal to open a
     * workspace becomes the owner of its catalog.
     *
     * @param system the workspace's system tables
     * @param actor who acts
     */
    public WorkspaceGovernance(SystemTables system, Principal actor) {
        this.system = system;
        this.actor = actor;
        this.audit = new AuditLog(system);
        if (owner(Securable.CATALOG) == null) {
            append("OWNER", Securable.CATALOG, actor, null);
        }
    }

    /**
     * Returns the acting principal.
     *
     * @return who acts
     */
    public Principal actor() {
        return actor;
    }

    @Override
    public void grant(Privilege privilege, Securable securable, Principal principal) {
        requireManage(securable, "grant " + privilege);
        append("GRANT", securable, principal, privilege);
        audit("grant", securable, "ALLOWED", Map.of("privilege", privilege.name(), "grantee", principal.name()));
    }

    @Override
    public void revoke(Privilege privilege, Securable securable, Principal principal) {
        requireManage(securable, "revoke " + privilege);
        append("REVOKE", securable, principal, privilege);
        audit("revoke", securable, "ALLOWED", Map.of("privilege", privilege.name(), "grantee", principal.name()));
    }

    @Override
    public List<Grant> grants(Securable securable) {
        return state().grantsOn(securable);
    }

    @Override
    public boolean isAllowed(Principal principal, Privilege privilege, Securable securable) {
        GrantState s = state();
        if (s.ownsOrInherits(principal, securable)) {
            return true;
        }
        if (!s.grantedOrInherited(principal, privilege, securable)) {
            return false;
        }
        // as in Unity Catalog, reaching anything inside a schema also takes USE on the schema
        Securable parent = securable.parent().orElse(null);
        return parent == null || parent.type() != SecurableType.SCHEMA || privilege == Privilege.USE
                || s.ownsOrInherits(principal, parent) || s.grantedOrInherited(principal, Privilege.USE, parent);
    }

    @Override
    public void check(Privilege privilege, Securable securable, String action) {
        check(privilege, securable, action, Map.of());
    }

    @Override
    public void check(Privilege privilege, Securable securable, String action, Map<String, String> details) {
        if (!isAllowed(actor, privilege, securable)) {
            Map<String, String> denied = new java.util.LinkedHashMap<>(details);
            denied.put("missing", privilege.name());
            audit(action, securable, "DENIED", denied);
            audit.flush();
            throw new PermissionDeniedException(actor + " may not " + action + " " + securable + ": missing privilege " + privilege
                    + " on " + securable + (needsUse(privilege, securable) ? " (or USE on its schema)" : "")
                    + ". Ask its owner (" + owner(securable) + ") to grant it.");
        }
    }

    private static boolean needsUse(Privilege privilege, Securable securable) {
        return privilege != Privilege.USE && securable.parent().map(p -> p.type() == SecurableType.SCHEMA).orElse(false);
    }

    @Override
    public Principal owner(Securable securable) {
        GrantState s = state();
        for (Securable x = securable; x != null; x = x.parent().orElse(null)) {
            Principal owner = s.explicitOwner(x);
            if (owner != null) {
                return owner;
            }
        }
        return null;
    }

    @Override
    public void transferOwnership(Securable securable, Principal newOwner) {
        if (!state().ownsOrInherits(actor, securable) && !isAllowed(actor, Privilege.MANAGE, securable)) {
            audit("ownership.transfer", securable, "DENIED", Map.of("missing", "OWNER"));
            audit.flush();
            throw new PermissionDeniedException(actor + " may not transfer ownership of " + securable + ": only its owner ("
                    + owner(securable) + ") or a principal with MANAGE can.");
        }
        append("OWNER", securable, newOwner, null);
        audit("ownership.transfer", securable, "ALLOWED", Map.of("newOwner", newOwner.name()));
    }

    /**
     * Records the acting principal as the owner of an object it just created.
     *
     * @param securable the new object
     */
    public void created(Securable securable) {
        append("OWNER", securable, actor, null);
    }

    @Override
    public void audit(String action, Securable securable, String outcome, Map<String, String> details) {
        audit.record(actor, action, securable, outcome, details);
    }

    @Override
    public List<AuditEvent> auditLog() {
        return audit.read();
    }

    /** Writes buffered audit events now. */
    public void flush() {
        audit.flush();
    }

    private void requireManage(Securable securable, String action) {
        check(Privilege.MANAGE, securable, action);
    }

    private void append(String action, Securable securable, Principal principal, Privilege privilege) {
        grantsTable().append(WriteSource.values(List.<Object[]>of(new Object[] {Instant.now(), action, securable.type().name(),
                securable.name(), principal.name(), privilege == null ? null : privilege.name(), actor.name()})));
        checkedAt = 0; // see our own change at once
    }

    private Table grantsTable() {
        return system.table(GRANTS, GRANT_COLUMNS);
    }

    private GrantState state() {
        long now = System.nanoTime();
        GrantState current = state;
        if (current != null && now - checkedAt < REFRESH_NANOS) {
            return current;
        }
        synchronized (this) {
            Table table = grantsTable();
            var snapshot = table.latest();
            if (state == null || snapshot.version() != stateVersion) {
                GrantState fresh = new GrantState();
                try (Rows rows = snapshot.scan().rows()) {
                    java.util.List<Object[]> events = new java.util.ArrayList<>();
                    while (rows.next()) {
                        events.add(new Object[] {rows.get(0), rows.get(1), rows.get(2), rows.get(3), rows.get(4), rows.get(5), rows.get(6)});
                    }
                    events.sort(java.util.Comparator.comparing(e -> (Instant) e[0]));
                    for (Object[] e : events) {
                        fresh.apply((String) e[1], new Securable(SecurableType.valueOf((String) e[2]), (String) e[3]),
                                Principal.of((String) e[4]), e[5] == null ? null : Privilege.valueOf(((String) e[5]).toUpperCase(Locale.ROOT)),
                                Principal.of((String) e[6]), (Instant) e[0]);
                    }
                }
                state = fresh;
                stateVersion = snapshot.version();
            }
            checkedAt = System.nanoTime();
            return state;
        }
    }

    @Override
    public void close() {
        audit.close();
    }
}
