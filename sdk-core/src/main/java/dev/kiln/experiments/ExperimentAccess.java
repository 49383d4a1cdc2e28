package dev.kiln.experiments;

import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.governance.WorkspaceGovernance;
import java.util.Map;

/**
 * Experiment tracking's side of governance: privilege checks on experiments and the audit rows of
 * every mutation. Checks happen when an action starts or a run handle is obtained, never per
 * logged value, so logging stays a buffer append; a revoke applies to the next handle.
 *
 * <p>Tracking kept in memory (tests, benchmarks) has no workspace and so no grants: there every
 * check passes and nothing is audited.
 */
final class ExperimentAccess {
    private static final ExperimentAccess UNGOVERNED = new ExperimentAccess(null);

    private final WorkspaceGovernance governance;

    private ExperimentAccess(WorkspaceGovernance governance) {
        this.governance = governance;
    }

    static ExperimentAccess ungoverned() {
        return UNGOVERNED;
    }

    static ExperimentAccess of(WorkspaceGovernance governance) {
        return new ExperimentAccess(governance);
    }

    /** Creating an experiment, like creating a model, takes CREATE on the catalog that holds it. */
    void checkCreate(String experiment) {
        if (governance != null) {
            governance.check(Privilege.CREATE, Securable.CATALOG, "experiment.create",
                    Map.of("experiment", experiment));
        }
    }

    void check(Privilege privilege, String experiment, String action) {
        if (governance != null) {
            governance.check(privilege, Securable.experiment(experiment), action);
        }
    }

    void check(Privilege privilege, String experiment, String action, Map<String, String> details) {
        if (governance != null) {
            governance.check(privilege, Securable.experiment(experiment), action, details);
        }
    }

    boolean mayRead(String experiment) {
        return governance == null || governance.isAllowed(governance.actor(), Privilege.READ, Securable.experiment(experiment));
    }

    /** Records the acting principal as the owner of an experiment it just created, and audits the creation. */
    void created(String experiment, Map<String, String> details) {
        if (governance != null) {
            governance.created(Securable.experiment(experiment));
            governance.audit("experiment.create", Securable.experiment(experiment), "ALLOWED", details);
        }
    }

    void allowed(String action, String experiment, Map<String, String> details) {
        if (governance != null) {
            governance.audit(action, Securable.experiment(experiment), "ALLOWED", details);
        }
    }

    void failed(String action, String experiment, RuntimeException error) {
        if (governance != null) {
            governance.audit(action, Securable.experiment(experiment), "FAILED", Map.of("error", String.valueOf(error.getMessage())));
        }
    }
}
