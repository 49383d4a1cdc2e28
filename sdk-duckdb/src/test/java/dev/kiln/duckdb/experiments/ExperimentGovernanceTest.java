package dev.kiln.duckdb.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.Kiln;
import dev.kiln.PermissionDeniedException;
import dev.kiln.Principal;
import dev.kiln.duckdb.GovernedWorkspace;
import dev.kiln.experiments.Experiment;
import dev.kiln.experiments.Experiments;
import dev.kiln.experiments.LifecycleStage;
import dev.kiln.experiments.Run;
import dev.kiln.experiments.RunQuery;
import dev.kiln.experiments.ViewType;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.lakehouse.Rows;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grants on experiments: each privilege allowed and refused, inheritance from the catalog,
 * revocation, ownership transfer; a refusal leaves the experiments and runs as they were, and every
 * case leaves its row in {@code system.audit}, read with SQL.
 */
class ExperimentGovernanceTest {
    private static final Principal ALICE = Principal.of("alice");
    private static final Principal BOB = Principal.of("bob");
    private static final Principal CAROL = Principal.of("carol");
    private static final Securable CHURN = Securable.experiment("churn");

    @TempDir
    Path dir;

    private GovernedWorkspace workspace;

    private GovernedWorkspace ws() {
        if (workspace == null) {
            workspace = new GovernedWorkspace(dir.resolve("ws"), ALICE);
        }
        return workspace;
    }

    private String aliceRun;

    private void as(Principal who, Consumer<Experiments> action) {
        try (Kiln kiln = ws().open(who)) {
            action.accept(kiln.experiments());
        }
    }

    /** The details of the latest audit row of an action. */
    private Map<String, String> details(String action) {
        try (Kiln alice = ws().open(ALICE)) {
            alice.governance().auditLog();
            try (Rows rows = alice.lakehouse().sql("SELECT details FROM system.audit WHERE action = '" + action
                    + "' ORDER BY time DESC LIMIT 1")) {
                assertThat(rows.next()).as("an audit row for " + action).isTrue();
                @SuppressWarnings("unchecked")
                Map<String, String> d = (Map<String, String>) rows.get(0);
                return new LinkedHashMap<>(d);
            }
        }
    }

    private int runsOfChurn() {
        try (Kiln alice = ws().open(ALICE)) {
            return alice.experiments().searchRuns(RunQuery.builder("churn").viewType(ViewType.ALL).build()).runs().size();
        }
    }

    @BeforeEach
    void aliceOwnsTheWorkspaceAndAnExperiment() {
        as(ALICE, x -> {
            x.createExperiment("churn");
            try (Run run = x.startRun("churn")) {
                run.logMetric("auc", 0.8);
                aliceRun = run.id();
            }
        });
    }

    @Test
    void creatingAnExperimentNeedsCreateOnTheCatalogAndMakesTheCreatorOwner() {
        as(BOB, x -> {
            assertThatThrownBy(() -> x.createExperiment("fraud")).isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("CREATE").hasMessageContaining("catalog workspace").hasMessageContaining("alice");
            // starting a run in a missing experiment creates it, and is refused the same way
            assertThatThrownBy(() -> x.startRun("fraud")).isInstanceOf(PermissionDeniedException.class).hasMessageContaining("CREATE");
        });
        as(ALICE, x -> assertThat(x.findExperiment("fraud")).isEmpty());
        assertThat(ws().audited(BOB, "experiment.create", "DENIED", Securable.CATALOG)).isEqualTo(2);

        ws().grant(Privilege.CREATE, Securable.CATALOG, BOB);
        as(BOB, x -> {
            x.createExperiment("fraud");
            try (Run run = x.startRun("fraud")) {
                run.logParam("depth", "6");
            }
        });
        try (Kiln alice = ws().open(ALICE)) {
            assertThat(alice.governance().owner(Securable.experiment("fraud"))).isEqualTo(BOB);
        }
        assertThat(ws().audited(BOB, "experiment.create", "ALLOWED", Securable.experiment("fraud"))).isEqualTo(1);
        assertThat(ws().audited(BOB, "run.start", "ALLOWED", Securable.experiment("fraud"))).isEqualTo(1);
    }

    @Test
    void startingAndLoggingRunsNeedsModifyAndARefusalLeavesNoRun() {
        int before = runsOfChurn();
        as(BOB, x -> assertThatThrownBy(() -> x.startRun("churn")).isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("MODIFY").hasMessageContaining("experiment churn").hasMessageContaining("alice"));
        as(BOB, x -> assertThatThrownBy(() -> x.resumeRun(aliceRun)).isInstanceOf(PermissionDeniedException.class));
        as(BOB, x -> assertThatThrownBy(() -> x.deleteRun(aliceRun)).isInstanceOf(PermissionDeniedException.class));
        assertThat(runsOfChurn()).isEqualTo(before);
        as(ALICE, x -> assertThat(x.getRun(aliceRun).info().lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE));
        assertThat(ws().audited(BOB, "run.start", "DENIED", CHURN)).isEqualTo(1);
        assertThat(ws().audited(BOB, "run.resume", "DENIED", CHURN)).isEqualTo(1);
        assertThat(ws().audited(BOB, "run.delete", "DENIED", CHURN)).isEqualTo(1);

        ws().grant(Privilege.MODIFY, CHURN, BOB);
        String[] bobRun = new String[1];
        as(BOB, x -> {
            try (Run run = x.startRun("churn")) {
                bobRun[0] = run.id();
                for (int step = 0; step < 50; step++) {
                    run.logMetric("loss", 1.0 / (step + 1), step);
                }
                run.logParam("depth", "6");
                run.logText("notes/readme.txt", "trained by bob");
            }
            x.deleteRun(bobRun[0]);
        });
        assertThat(runsOfChurn()).isEqualTo(before + 1);
        assertThat(ws().audited(BOB, "run.start", "ALLOWED", CHURN)).isEqualTo(1);
        assertThat(ws().audited(BOB, "run.end", "ALLOWED", CHURN)).isEqualTo(1);
        assertThat(ws().audited(BOB, "run.artifact.log", "ALLOWED", CHURN)).isEqualTo(1);
        assertThat(ws().audited(BOB, "run.delete", "ALLOWED", CHURN)).isEqualTo(1);
        // one row per run, not per logged value: the end row counts them
        assertThat(details("run.end")).containsEntry("runId", bobRun[0]).containsEntry("status", "FINISHED")
                .containsEntry("metricPoints", "50").containsEntry("params", "1");
        assertThat(details("run.artifact.log")).containsEntry("path", "notes/readme.txt");

        ws().revoke(Privilege.MODIFY, CHURN, BOB);
        as(BOB, x -> assertThatThrownBy(() -> x.startRun("churn")).isInstanceOf(PermissionDeniedException.class));
        assertThat(runsOfChurn()).isEqualTo(before + 1);
        assertThat(ws().audited(BOB, "run.start", "DENIED", CHURN)).isEqualTo(2);
    }

    @Test
    void readingRunsNeedsReadWhichIsInheritedFromTheCatalogAndRevocable() {
        as(BOB, x -> {
            assertThatThrownBy(() -> x.getRun(aliceRun)).isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("READ").hasMessageContaining("experiment churn");
            assertThatThrownBy(() -> x.searchRuns(RunQuery.builder("churn").build())).isInstanceOf(PermissionDeniedException.class);
            assertThatThrownBy(() -> x.metricHistory(aliceRun, "auc")).isInstanceOf(PermissionDeniedException.class);
            assertThatThrownBy(() -> x.getExperiment("churn")).isInstanceOf(PermissionDeniedException.class);
            assertThat(x.listExperiments()).extracting(Experiment::name).doesNotContain("churn");
        });
        assertThat(ws().audited(BOB, "run.read", "DENIED", CHURN)).isEqualTo(2); // getRun, and metricHistory through it
        assertThat(ws().audited(BOB, "run.search", "DENIED", CHURN)).isEqualTo(1);

        ws().grant(Privilege.READ, Securable.CATALOG, BOB);
        as(BOB, x -> {
            assertThat(x.getRun(aliceRun).data().metrics()).containsEntry("auc", 0.8);
            assertThat(x.searchRuns(RunQuery.builder("churn").build()).runs()).hasSize(1);
            assertThat(x.listExperiments()).extracting(Experiment::name).contains("churn");
            // READ is not MODIFY
            assertThatThrownBy(() -> x.startRun("churn")).isInstanceOf(PermissionDeniedException.class).hasMessageContaining("MODIFY");
        });

        ws().revoke(Privilege.READ, Securable.CATALOG, BOB);
        as(BOB, x -> assertThatThrownBy(() -> x.getRun(aliceRun)).isInstanceOf(PermissionDeniedException.class));
        assertThat(ws().audited(BOB, "run.read", "DENIED", CHURN)).isEqualTo(3);
    }

    @Test
    void deletingAnExperimentNeedsManageAndTaggingApplyTag() {
        as(BOB, x -> {
            assertThatThrownBy(() -> x.deleteExperiment("churn")).isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("MANAGE");
            assertThatThrownBy(() -> x.setExperimentTag("churn", "team", "bob")).isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("APPLY_TAG");
        });
        as(ALICE, x -> {
            assertThat(x.getExperiment("churn").lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
            assertThat(x.getExperiment("churn").tags()).doesNotContainKey("team");
        });
        assertThat(ws().audited(BOB, "experiment.delete", "DENIED", CHURN)).isEqualTo(1);
        assertThat(ws().audited(BOB, "experiment.tag.set", "DENIED", CHURN)).isEqualTo(1);

        ws().grant(Privilege.MANAGE, CHURN, BOB);
        ws().grant(Privilege.APPLY_TAG, CHURN, BOB);
        as(BOB, x -> {
            x.setExperimentTag("churn", "team", "bob");
            x.deleteExperiment("churn");
            x.restoreExperiment("churn");
        });
        as(ALICE, x -> assertThat(x.getExperiment("churn").tags()).containsEntry("team", "bob"));
        assertThat(ws().audited(BOB, "experiment.tag.set", "ALLOWED", CHURN)).isEqualTo(1);
        assertThat(ws().audited(BOB, "experiment.delete", "ALLOWED", CHURN)).isEqualTo(1);
        assertThat(ws().audited(BOB, "experiment.restore", "ALLOWED", CHURN)).isEqualTo(1);
    }

    @Test
    void ownershipTransferHandsOverTheExperiment() {
        as(BOB, x -> assertThatThrownBy(() -> x.deleteExperiment("churn")).isInstanceOf(PermissionDeniedException.class));
        try (Kiln bob = ws().open(BOB)) {
            assertThatThrownBy(() -> bob.governance().transferOwnership(CHURN, BOB)).isInstanceOf(PermissionDeniedException.class);
        }
        try (Kiln alice = ws().open(ALICE)) {
            alice.governance().transferOwnership(CHURN, BOB);
            assertThat(alice.governance().owner(CHURN)).isEqualTo(BOB);
        }
        try (Kiln bob = ws().open(BOB)) {
            bob.governance().grant(Privilege.READ, CHURN, CAROL);
            try (Run run = bob.experiments().startRun("churn")) {
                run.logMetric("auc", 0.9);
            }
        }
        as(CAROL, x -> assertThat(x.searchRuns(RunQuery.builder("churn").build()).runs()).hasSize(2));
        assertThat(ws().audited(ALICE, "ownership.transfer", "ALLOWED", CHURN)).isEqualTo(1);
        assertThat(ws().audited(BOB, "ownership.transfer", "DENIED", CHURN)).isEqualTo(1);
        assertThat(ws().audited(BOB, "grant", "ALLOWED", CHURN)).isEqualTo(1);
    }

    @Test
    void theOwnerIsAuditedForEveryChangeToItsOwnExperiment() {
        as(ALICE, x -> x.deleteRun(aliceRun));
        assertThat(ws().audited(ALICE, "experiment.create", "ALLOWED", CHURN)).isEqualTo(1);
        assertThat(ws().audited(ALICE, "run.start", "ALLOWED", CHURN)).isEqualTo(1);
        assertThat(ws().audited(ALICE, "run.end", "ALLOWED", CHURN)).isEqualTo(1);
        assertThat(ws().audited(ALICE, "run.delete", "ALLOWED", CHURN)).isEqualTo(1);
        assertThat(details("run.start")).containsEntry("runId", aliceRun);
        assertThat(List.of(details("run.end").get("metricPoints"))).containsExactly("1");
    }
}
