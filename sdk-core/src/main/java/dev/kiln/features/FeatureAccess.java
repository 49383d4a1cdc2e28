package dev.kiln.features;

import dev.kiln.KilnException;
import dev.kiln.governance.Governance;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import java.util.Map;

/**
 * The feature store's side of governance: checks under the feature table's name, so that a refusal
 * is audited as a feature-store action and happens before anything is written, and the audit rows of
 * feature-store changes. A feature table and its lakehouse table are one object for grants, so the
 * lakehouse's own checks on the table then pass too.
 *
 * <p>A feature store opened over a bare lakehouse, without a workspace's governance, checks nothing
 * here (the lakehouse still checks its tables) and audits nothing.
 */
final class FeatureAccess {
    private final Governance governance;

    FeatureAccess(Governance governance) {
        this.governance = governance;
    }

    void check(Privilege privilege, Securable securable, String action, Map<String, String> details) {
        if (governance != null) {
            governance.check(privilege, securable, action, details);
        }
    }

    void check(Privilege privilege, String featureTable, String action) {
        check(privilege, Securable.featureTable(featureTable), action, Map.of());
    }

    void allowed(String action, String featureTable, Map<String, String> details) {
        if (governance != null) {
            governance.audit(action, Securable.featureTable(featureTable), "ALLOWED", details);
        }
    }

    void failed(String action, String featureTable, KilnException error) {
        if (governance != null) {
            governance.audit(action, Securable.featureTable(featureTable), "FAILED", Map.of("error", String.valueOf(error.getMessage())));
        }
    }
}
