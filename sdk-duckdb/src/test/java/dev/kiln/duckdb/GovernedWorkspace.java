package dev.kiln.duckdb;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.lakehouse.Rows;
import java.nio.file.Path;

/** A DuckDB workspace opened as one principal or another, for governance tests: grants by its owner, audit rows by SQL. */
public final class GovernedWorkspace {
    private final Path root;
    private final Principal owner;

    /**
     * @param root the workspace folder
     * @param owner the principal that owns the catalog and hands out grants
     */
    public GovernedWorkspace(Path root, Principal owner) {
        this.root = root;
        this.owner = owner;
    }

    public Kiln open(Principal who) {
        return Kiln.builder().root(root).principal(who).storage(new DuckStorageProvider()).open();
    }

    public void grant(Privilege privilege, Securable on, Principal to) {
        try (Kiln kiln = open(owner)) {
            kiln.governance().grant(privilege, on, to);
        }
    }

    public void revoke(Privilege privilege, Securable on, Principal from) {
        try (Kiln kiln = open(owner)) {
            kiln.governance().revoke(privilege, on, from);
        }
    }

    /** The audit rows of a principal, action and outcome on a securable, as SQL sees them. */
    public long audited(Principal who, String action, String outcome, Securable on) {
        try (Kiln kiln = open(owner)) {
            kiln.governance().auditLog(); // flushes
            try (Rows rows = kiln.lakehouse().sql("SELECT count(*) FROM system.audit WHERE principal = '" + who.name() + "' AND action = '"
                    + action + "' AND outcome = '" + outcome + "' AND securable_type = '" + on.type() + "' AND securable_name = '"
                    + on.name() + "'")) {
                rows.next();
                return ((Number) rows.get(0)).longValue();
            }
        }
    }
}
