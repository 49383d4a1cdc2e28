package dev.kiln.duckdb.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.Kiln;
import dev.kiln.PermissionDeniedException;
import dev.kiln.Principal;
import dev.kiln.duckdb.GovernedWorkspace;
import dev.kiln.governance.AuditEvent;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import dev.kiln.monitoring.MonitorResult;
import dev.kiln.monitoring.MonitorSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitor run reads its target and baseline and writes its metrics table: refused without READ
 * on the inputs or without the right to write the metrics (nothing written then), allowed with
 * them, and audited either way.
 */
class MonitoringGovernanceTest {
    private static final Principal ALICE = Principal.of("alice");
    private static final Principal BOB = Principal.of("bob");
    private static final Securable SCORED = Securable.table("ml.scored");

    @TempDir
    Path dir;

    private GovernedWorkspace workspace;

    private Kiln open(Principal who) {
        return workspace.open(who);
    }

    private void grant(Privilege privilege, Securable on, Principal to) {
        workspace.grant(privilege, on, to);
    }

    private List<AuditEvent> audit(Principal who, String action, String outcome) {
        try (Kiln alice = open(ALICE)) {
            return alice.governance().auditLog().stream()
                    .filter(e -> e.principal().equals(who) && e.action().equals(action) && e.outcome().equals(outcome)).toList();
        }
    }

    private boolean metricsExist() {
        try (Kiln alice = open(ALICE)) {
            return alice.lakehouse().tableExists(MonitorSpec.DEFAULT_METRICS_TABLE);
        }
    }

    private static MonitorSpec spec() {
        return MonitorSpec.builder("ml.scored", "ml.train").features("x").build();
    }

    @BeforeEach
    void aliceOwnsTrainingAndScoredTables() {
        workspace = new GovernedWorkspace(dir.resolve("ws"), ALICE);
        try (Kiln alice = open(ALICE)) {
            alice.lakehouse().createSchema("ml");
            for (String table : List.of("ml.train", "ml.scored")) {
                alice.lakehouse().createTable(TableDefinition.builder(table).schema("x DOUBLE").build())
                        .append(WriteSource.query("SELECT (i % 10)::DOUBLE AS x FROM range(200) AS r(i)"));
            }
        }
    }

    @Test
    void aMonitorRunNeedsReadOnItsInputsAndTheRightToWriteItsMetrics() {
        try (Kiln bob = open(BOB)) {
            assertThatThrownBy(() -> bob.monitoring().run(spec())).isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("READ").hasMessageContaining("ml.scored");
        }
        assertThat(metricsExist()).isFalse();
        assertThat(audit(BOB, "monitor.run", "DENIED")).extracting(AuditEvent::securable).containsExactly(SCORED);

        grant(Privilege.USE, Securable.schema("ml"), BOB);
        grant(Privilege.READ, Securable.schema("ml"), BOB);
        try (Kiln bob = open(BOB)) {
            // reading is allowed now, but the metrics table would be created in a new schema
            assertThatThrownBy(() -> bob.monitoring().run(spec())).isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("CREATE").hasMessageContaining("catalog workspace");
        }
        assertThat(metricsExist()).isFalse();

        grant(Privilege.CREATE, Securable.CATALOG, BOB);
        try (Kiln bob = open(BOB)) {
            MonitorResult result = bob.monitoring().run(spec());
            assertThat(result.metricsVersion()).isGreaterThanOrEqualTo(0);
        }
        assertThat(metricsExist()).isTrue();
        List<AuditEvent> allowed = audit(BOB, "monitor.run", "ALLOWED");
        assertThat(allowed).hasSize(1);
        assertThat(allowed.get(0).securable()).isEqualTo(SCORED);
        assertThat(allowed.get(0).details()).containsEntry("metricsTable", MonitorSpec.DEFAULT_METRICS_TABLE).containsKey("metricsVersion");
        assertThat(audit(BOB, "table.append", "ALLOWED")).extracting(e -> e.securable().name()).contains(MonitorSpec.DEFAULT_METRICS_TABLE);
    }
}
