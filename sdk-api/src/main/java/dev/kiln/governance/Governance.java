package dev.kiln.governance;

import dev.kiln.Principal;
import java.util.List;

/**
 * Privileges, ownership and the audit log of a workspace.
 *
 * <p>Enforcement is in-process: Kiln checks privileges in the JVM that opens the workspace, which
 * protects against mistakes and unauthorised use through Kiln's API and tools, not against someone
 * with write access to the folder itself.
 *
 * <p>The principal that first opens a workspace owns its catalog and so holds every privilege; the
 * creator of any object owns it. Privileges granted on a catalog or schema are inherited by what is
 * inside. Every grant, revoke, ownership change and refused action is written to the audit table
 * {@code system.audit}, which SQL can query.
 */
public interface Governance {

    /**
     * Grants a privilege.
     *
     * @param privilege what to allow
     * @param securable on which object
     * @param principal to whom
     * @throws dev.kiln.PermissionDeniedException if the acting principal lacks MANAGE on the object
     */
    void grant(Privilege privilege, Securable securable, Principal principal);

    /**
     * Revokes a privilege granted directly on this object (inherited ones are revoked where granted).
     *
     * @param privilege what to stop allowing
     * @param securable on which object
     * @param principal from whom
     * @throws dev.kiln.PermissionDeniedException if the acting principal lacks MANAGE on the object
     */
    void revoke(Privilege privilege, Securable securable, Principal principal);

    /**
     * Lists the privileges granted directly on an object.
     *
     * @param securable the object
     * @return its grants
     */
    List<Grant> grants(Securable securable);

    /**
     * Tells whether a principal holds a privilege on an object, directly, by inheritance or as owner.
     *
     * @param principal who
     * @param privilege what
     * @param securable on which object
     * @return true if allowed
     */
    boolean isAllowed(Principal principal, Privilege privilege, Securable securable);

    /**
     * Checks that the acting principal holds a privilege; a refusal is audited.
     *
     * @param privilege what
     * @param securable on which object
     * @param action the action being attempted, for the audit log and the message
     * @throws dev.kiln.PermissionDeniedException naming the missing privilege and object
     */
    void check(Privilege privilege, Securable securable, String action);

    /**
     * Checks that the acting principal holds a privilege, like {@link #check(Privilege, Securable, String)},
     * and writes further facts to the audit row of a refusal (the feature table about to be created in
     * a schema, the run a {@code runs:/} URI names).
     *
     * @param privilege what
     * @param securable on which object
     * @param action the action being attempted, for the audit log and the message
     * @param details facts recorded with a refusal, beside the missing privilege
     * @throws dev.kiln.PermissionDeniedException naming the missing privilege and object
     */
    default void check(Privilege privilege, Securable securable, String action, java.util.Map<String, String> details) {
        check(privilege, securable, action);
    }

    /**
     * Returns the owner of an object: its creator, the new owner after a transfer, else the owner of its parent.
     *
     * @param securable the object
     * @return the owner
     */
    Principal owner(Securable securable);

    /**
     * Makes another principal the owner of an object.
     *
     * @param securable the object
     * @param newOwner the new owner
     * @throws dev.kiln.PermissionDeniedException unless the acting principal owns the object or has MANAGE on it
     */
    void transferOwnership(Securable securable, Principal newOwner);

    /**
     * Writes an event to the audit log (areas call this for every mutating action).
     *
     * @param action what was done
     * @param securable on which object
     * @param outcome ALLOWED, DENIED or FAILED
     * @param details further facts
     */
    void audit(String action, Securable securable, String outcome, java.util.Map<String, String> details);

    /**
     * Reads the audit log, oldest first (flushing what is buffered first).
     *
     * @return every audit event of the workspace
     */
    List<AuditEvent> auditLog();
}
