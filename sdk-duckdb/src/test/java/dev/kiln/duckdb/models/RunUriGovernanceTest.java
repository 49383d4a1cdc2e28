package dev.kiln.duckdb.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.Kiln;
import dev.kiln.PermissionDeniedException;
import dev.kiln.Principal;
import dev.kiln.experiments.Run;
import dev.kiln.governance.AuditEvent;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.models.VersionSpec;
import dev.kiln.predict.Predictor;
import dev.kiln.tck.models.TinyModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a model by {@code runs:/} needs READ on the run's experiment (allowed, refused, inherited
 * from the catalog, revoked), and so does registering a version from a run; {@code models:/} needs
 * EXECUTE on the model. Every refusal is audited and changes nothing.
 */
class RunUriGovernanceTest {
    private static final Principal ALICE = Principal.of("alice");
    private static final Principal BOB = Principal.of("bob");
    private static final Securable TRAINING = Securable.experiment("training");
    private static final List<String> FEATURES = List.of("a", "b");

    @TempDir
    Path dir;

    private String uri;

    private Kiln open(Principal who) {
        return TinyPredictor.open(dir.resolve("ws"), who, null);
    }

    private void grant(Privilege privilege, Securable on, Principal to) {
        try (Kiln alice = open(ALICE)) {
            alice.governance().grant(privilege, on, to);
        }
    }

    private void revoke(Privilege privilege, Securable on, Principal from) {
        try (Kiln alice = open(ALICE)) {
            alice.governance().revoke(privilege, on, from);
        }
    }

    private List<AuditEvent> audit(Principal who, String action, String outcome) {
        try (Kiln alice = open(ALICE)) {
            return alice.governance().auditLog().stream()
                    .filter(e -> e.principal().equals(who) && e.action().equals(action) && e.outcome().equals(outcome)).toList();
        }
    }

    private static float score(Predictor p) {
        return p.predict(new float[] {1f, 2f});
    }

    @BeforeEach
    void aliceTrainsAModelInARun() {
        try (Kiln alice = open(ALICE); Run run = alice.experiments().startRun("training")) {
            run.logBytes("model/model.json", TinyModels.json(7, FEATURES).getBytes(StandardCharsets.UTF_8));
            uri = "runs:/" + run.id() + "/model/model.json";
        }
    }

    @Test
    void loadingARunsModelNeedsReadOnItsExperiment() {
        try (Kiln bob = open(BOB)) {
            assertThatThrownBy(() -> bob.models().load(uri)).isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("READ").hasMessageContaining("experiment training").hasMessageContaining("alice");
        }
        List<AuditEvent> denied = audit(BOB, "model.load", "DENIED");
        assertThat(denied).hasSize(1);
        assertThat(denied.get(0).securable()).isEqualTo(TRAINING);
        assertThat(denied.get(0).details()).containsEntry("missing", "READ").containsEntry("uri", uri);

        grant(Privilege.READ, TRAINING, BOB);
        try (Kiln bob = open(BOB)) {
            assertThat(score(bob.models().load(uri))).isEqualTo(TinyModels.expected(7));
        }

        revoke(Privilege.READ, TRAINING, BOB);
        try (Kiln bob = open(BOB)) {
            assertThatThrownBy(() -> bob.models().load(uri)).isInstanceOf(PermissionDeniedException.class);
        }
        assertThat(audit(BOB, "model.load", "DENIED")).hasSize(2);
    }

    @Test
    void readOnTheCatalogReachesEveryExperimentsRuns() {
        grant(Privilege.READ, Securable.CATALOG, BOB);
        try (Kiln bob = open(BOB)) {
            assertThat(score(bob.models().load(uri))).isEqualTo(TinyModels.expected(7));
        }
        assertThat(audit(BOB, "model.load", "DENIED")).isEmpty();
    }

    @Test
    void registeringFromARunNeedsReadOnItsExperimentAndARefusalRegistersNothing() {
        grant(Privilege.CREATE, Securable.CATALOG, BOB);
        try (Kiln bob = open(BOB)) {
            assertThatThrownBy(() -> bob.models().register(VersionSpec.builder("bobs").fromRun(uri).build()))
                    .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("experiment training");
        }
        try (Kiln alice = open(ALICE)) {
            assertThat(alice.models().find("bobs")).isEqualTo(Optional.empty());
        }
        assertThat(audit(BOB, "model.version.create", "DENIED")).extracting(AuditEvent::securable).containsExactly(TRAINING);

        grant(Privilege.READ, TRAINING, BOB);
        try (Kiln bob = open(BOB)) {
            assertThat(bob.models().register(VersionSpec.builder("bobs").fromRun(uri).build()).version()).isEqualTo(1);
        }
        assertThat(audit(BOB, "model.version.create", "ALLOWED")).hasSize(1);
    }

    @Test
    void loadingByModelUriNeedsExecuteOnTheModel() {
        try (Kiln alice = open(ALICE)) {
            alice.models().register(VersionSpec.builder("churn").fromRun(uri).build());
        }
        grant(Privilege.READ, TRAINING, BOB);
        try (Kiln bob = open(BOB)) {
            // reading the run is not executing the registered model
            assertThatThrownBy(() -> bob.models().load("models:/churn/1")).isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("EXECUTE").hasMessageContaining("model churn");
        }
        grant(Privilege.EXECUTE, Securable.model("churn"), BOB);
        try (Kiln bob = open(BOB)) {
            assertThat(score(bob.models().load("models:/churn/1"))).isEqualTo(TinyModels.expected(7));
        }
        assertThat(audit(BOB, "model.load", "DENIED")).extracting(AuditEvent::securable).containsExactly(Securable.model("churn"));
    }
}
