package dev.kiln.monitoring;

import dev.kiln.KilnException;
import dev.kiln.governance.Governance;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.lakehouse.Lakehouse;
import java.util.Map;

/**
 * Monitoring's side of governance. A monitor run reads its target and baseline and appends to its
 * metrics table: all three are checked before any statistic is computed, so a refusal writes nothing,
 * and the run leaves one {@code monitor.run} audit row on its target (beside the lakehouse's own row
 * for the metrics append). Without a workspace's governance nothing is checked here or audited.
 */
final class MonitorAccess {
    private final Governance governance;
    private final Lakehouse lakehouse;

    MonitorAccess(Lakehouse lakehouse, Governance governance) {
        this.lakehouse = lakehouse;
        this.governance = governance;
    }

    void checkRun(MonitorSpec spec) {
        if (governance == null) {
            return;
        }
        governance.check(Privilege.READ, table(spec.target()), "monitor.run");
        governance.check(Privilege.READ, table(spec.baseline()), "monitor.run");
        if (spec.metricsTable() != null) {
            checkWrite(spec.metricsTable(), "monitor.run");
        }
    }

    /** Writing a table needs MODIFY on it, or CREATE where it will be made when it does not exist yet. */
    void checkWrite(String table, String action) {
        if (governance == null) {
            return;
        }
        if (lakehouse.tableExists(table)) {
            governance.check(Privilege.MODIFY, Securable.table(table), action);
            return;
        }
        String schema = table.substring(0, table.indexOf('.'));
        governance.check(Privilege.CREATE, lakehouse.schemas().contains(schema.toLowerCase(java.util.Locale.ROOT))
                ? Securable.schema(schema) : Securable.CATALOG, action);
    }

    void allowed(String action, String table, Map<String, String> details) {
        if (governance != null) {
            governance.audit(action, table(table), "ALLOWED", details);
        }
    }

    void failed(String action, String table, KilnException error) {
        if (governance != null) {
            governance.audit(action, table(table), "FAILED", Map.of("error", String.valueOf(error.getMessage())));
        }
    }

    private static Securable table(String ref) {
        return Securable.table(TableRef.parse(ref).name());
    }
}
