package dev.kiln.duckdb.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.Kiln;
import dev.kiln.PermissionDeniedException;
import dev.kiln.Principal;
import dev.kiln.governance.AuditEvent;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.lakehouse.Rows;
import dev.kiln.models.ModelRegistry;
import dev.kiln.models.VersionSpec;
import dev.kiln.tck.models.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grants on models: each privilege allowed and refused, inheritance from the catalog, revocation,
 * ownership transfer, grants following a rename; a refusal changes nothing and every case leaves
 * its audit row.
 */
class ModelGovernanceTest {
    private static final Principal ALICE = Principal.of("alice");
    private static final Principal BOB = Principal.of("bob");
    private static final Principal CAROL = Principal.of("carol");
    private static final Securable CHURN = Securable.model("churn");

    @TempDir
    Path dir;

    private Path ws() {
        return dir.resolve("ws");
    }

    private void as(Principal who, Consumer<ModelRegistry> action) {
        try (Kiln kiln = TinyPredictor.open(ws(), who, null)) {
            action.accept(kiln.models());
        }
    }

    private void grant(Privilege privilege, Securable on, Principal to) {
        try (Kiln alice = TinyPredictor.open(ws(), ALICE, null)) {
            alice.governance().grant(privilege, on, to);
        }
    }

    private void revoke(Privilege privilege, Securable on, Principal from) {
        try (Kiln alice = TinyPredictor.open(ws(), ALICE, null)) {
            alice.governance().revoke(privilege, on, from);
        }
    }

    private VersionSpec spec(String model, int value) {
        return VersionSpec.builder(model).fromFile(TinyModels.write(dir.resolve("in/m" + value + "-" + System.nanoTime() + ".json"), value,
                List.of("a", "b"))).build();
    }

    private List<AuditEvent> audit() {
        try (Kiln alice = TinyPredictor.open(ws(), ALICE, null)) {
            return alice.governance().auditLog();
        }
    }

    private boolean audited(Principal who, String action, String outcome) {
        return audit().stream().anyMatch(e -> e.principal().equals(who) && e.action().equals(action) && e.outcome().equals(outcome));
    }

    private long eventRows() {
        try (Kiln alice = TinyPredictor.open(ws(), ALICE, null);
                Rows rows = alice.lakehouse().sql("SELECT (SELECT count(*) FROM system.model_events) + (SELECT count(*) FROM system.model_versions)")) {
            rows.next();
            return ((Number) rows.get(0)).longValue();
        }
    }

    @BeforeEach
    void aliceOwnsTheWorkspaceAndAModel() {
        as(ALICE, m -> {
            m.register(spec("churn", 1));
            m.register(spec("churn", 2));
            m.setAlias("churn", "champion", 1);
        });
    }

    @Test
    void creatingAModelNeedsCreateOnTheCatalog() {
        as(BOB, m -> assertThatThrownBy(() -> m.create("fraud")).isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("CREATE").hasMessageContaining("catalog workspace"));
        as(BOB, m -> assertThatThrownBy(() -> m.register(spec("fraud", 1))).isInstanceOf(PermissionDeniedException.class));
        assertThat(audited(BOB, "model.create", "DENIED")).isTrue();
        as(ALICE, m -> assertThat(m.find("fraud")).isEmpty());
        grant(Privilege.CREATE, Securable.CATALOG, BOB);
        as(BOB, m -> {
            m.create("fraud");
            m.register(spec("fraud", 1));
        });
        try (Kiln alice = TinyPredictor.open(ws(), ALICE, null)) {
            assertThat(alice.governance().owner(Securable.model("fraud"))).isEqualTo(BOB);
        }
        assertThat(audited(BOB, "model.create", "ALLOWED")).isTrue();
        assertThat(audited(BOB, "model.version.create", "ALLOWED")).isTrue();
    }

    @Test
    void registeringAVersionNeedsCreateOnTheModelAndARefusalChangesNothing() {
        long before = eventRows();
        as(BOB, m -> assertThatThrownBy(() -> m.register(spec("churn", 3))).isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("CREATE").hasMessageContaining("model churn").hasMessageContaining("alice"));
        assertThat(eventRows()).isEqualTo(before);
        assertThat(Files.exists(ws().resolve("artifacts/models/churn/3"))).isFalse();
        assertThat(audited(BOB, "model.version.create", "DENIED")).isTrue();
        grant(Privilege.CREATE, CHURN, BOB);
        as(BOB, m -> assertThat(m.register(spec("churn", 3)).version()).isEqualTo(3));
        assertThat(audited(BOB, "model.version.create", "ALLOWED")).isTrue();
    }

    @Test
    void movingAnAliasNeedsManageAndARefusalChangesNothing() {
        long before = eventRows();
        as(BOB, m -> assertThatThrownBy(() -> m.setAlias("churn", "champion", 2)).isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("MANAGE"));
        as(BOB, m -> assertThatThrownBy(() -> m.removeAlias("churn", "champion")).isInstanceOf(PermissionDeniedException.class));
        as(BOB, m -> assertThatThrownBy(() -> m.delete("churn")).isInstanceOf(PermissionDeniedException.class));
        as(BOB, m -> assertThatThrownBy(() -> m.rename("churn", "x")).isInstanceOf(PermissionDeniedException.class));
        assertThat(eventRows()).isEqualTo(before);
        as(ALICE, m -> assertThat(m.get("churn").aliases()).isEqualTo(Map.of("champion", 1L)));
        assertThat(audited(BOB, "model.alias.set", "DENIED")).isTrue();
        grant(Privilege.MANAGE, CHURN, BOB);
        as(BOB, m -> m.setAlias("churn", "champion", 2));
        as(ALICE, m -> assertThat(m.get("churn").aliases()).isEqualTo(Map.of("champion", 2L)));
        assertThat(audit()).anyMatch(e -> e.principal().equals(BOB) && e.action().equals("model.alias.set")
                && e.outcome().equals("ALLOWED") && e.details().get("version").equals("2") && e.details().get("previous").equals("1"));
    }

    @Test
    void grantingNeedsManage() {
        try (Kiln bob = TinyPredictor.open(ws(), BOB, null)) {
            assertThatThrownBy(() -> bob.governance().grant(Privilege.EXECUTE, CHURN, CAROL)).isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("MANAGE");
        }
        assertThat(audited(BOB, "grant EXECUTE", "DENIED")).isTrue();
        grant(Privilege.MANAGE, CHURN, BOB);
        try (Kiln bob = TinyPredictor.open(ws(), BOB, null)) {
            bob.governance().grant(Privilege.EXECUTE, CHURN, CAROL);
        }
        as(CAROL, m -> assertThat(m.load("models:/churn@champion").predict(new float[] {0, 0})).isEqualTo(TinyModels.expected(1)));
        assertThat(audited(BOB, "grant", "ALLOWED")).isTrue();
    }

    @Test
    void loadingNeedsExecuteAndRevocationTakesItAway() {
        as(CAROL, m -> assertThatThrownBy(() -> m.load("models:/churn@champion")).isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("EXECUTE"));
        assertThat(audited(CAROL, "model.load", "DENIED")).isTrue();
        grant(Privilege.EXECUTE, CHURN, CAROL);
        as(CAROL, m -> assertThat(m.load("models:/churn/2").predict(new float[] {0, 0})).isEqualTo(TinyModels.expected(2)));
        revoke(Privilege.EXECUTE, CHURN, CAROL);
        as(CAROL, m -> assertThatThrownBy(() -> m.load("models:/churn/2")).isInstanceOf(PermissionDeniedException.class));
        assertThat(audited(ALICE, "revoke", "ALLOWED")).isTrue();
    }

    @Test
    void privilegesOnTheCatalogAreInherited() {
        as(CAROL, m -> assertThatThrownBy(() -> m.load("models:/churn/1")).isInstanceOf(PermissionDeniedException.class));
        grant(Privilege.EXECUTE, Securable.CATALOG, CAROL);
        grant(Privilege.MANAGE, Securable.CATALOG, BOB);
        as(CAROL, m -> assertThat(m.load("models:/churn/1").predict(new float[] {0, 0})).isEqualTo(TinyModels.expected(1)));
        as(BOB, m -> m.setAlias("churn", "challenger", 2));
        revoke(Privilege.EXECUTE, Securable.CATALOG, CAROL);
        as(CAROL, m -> assertThatThrownBy(() -> m.load("models:/churn/1")).isInstanceOf(PermissionDeniedException.class));
    }

    @Test
    void readingNeedsReadOrExecute() {
        as(BOB, m -> {
            assertThatThrownBy(() -> m.get("churn")).isInstanceOf(PermissionDeniedException.class).hasMessageContaining("READ");
            assertThatThrownBy(() -> m.versions("churn")).isInstanceOf(PermissionDeniedException.class);
            assertThat(m.list()).isEmpty();
            assertThat(m.find("churn")).isEmpty();
        });
        assertThat(audited(BOB, "model.read", "DENIED")).isTrue();
        grant(Privilege.READ, CHURN, BOB);
        as(BOB, m -> {
            assertThat(m.get("churn").latestVersion()).isEqualTo(2);
            assertThat(m.list()).hasSize(1);
            assertThatThrownBy(() -> m.load("models:/churn/1")).isInstanceOf(PermissionDeniedException.class);
        });
    }

    @Test
    void tagsNeedApplyTagAndDescriptionsModify() {
        long before = eventRows();
        as(BOB, m -> {
            assertThatThrownBy(() -> m.setTag("churn", "k", "v")).isInstanceOf(PermissionDeniedException.class).hasMessageContaining("APPLY_TAG");
            assertThatThrownBy(() -> m.setVersionTag("churn", 1, "k", "v")).isInstanceOf(PermissionDeniedException.class);
            assertThatThrownBy(() -> m.setDescription("churn", "d")).isInstanceOf(PermissionDeniedException.class).hasMessageContaining("MODIFY");
        });
        assertThat(eventRows()).isEqualTo(before);
        grant(Privilege.APPLY_TAG, CHURN, BOB);
        grant(Privilege.MODIFY, CHURN, BOB);
        as(BOB, m -> {
            m.setTag("churn", "k", "v");
            m.setVersionTag("churn", 1, "k", "v");
            m.setDescription("churn", "d");
        });
        as(ALICE, m -> {
            assertThat(m.get("churn").tags()).containsEntry("k", "v");
            assertThat(m.get("churn").description()).isEqualTo("d");
        });
        assertThat(audited(BOB, "model.tag.set", "DENIED")).isTrue();
        assertThat(audited(BOB, "model.tag.set", "ALLOWED")).isTrue();
        assertThat(audited(BOB, "model.describe", "ALLOWED")).isTrue();
    }

    @Test
    void ownershipTransferGivesEveryPrivilegeAndTakesThemFromTheOldOwner() {
        grant(Privilege.CREATE, Securable.CATALOG, BOB);
        as(BOB, m -> {
            m.register(spec("fraud", 1));
            m.setAlias("fraud", "champion", 1);
        });
        try (Kiln bob = TinyPredictor.open(ws(), BOB, null)) {
            bob.governance().transferOwnership(Securable.model("fraud"), CAROL);
        }
        as(BOB, m -> assertThatThrownBy(() -> m.removeAlias("fraud", "champion")).isInstanceOf(PermissionDeniedException.class));
        as(CAROL, m -> {
            m.removeAlias("fraud", "champion");
            m.load("models:/fraud/1");
        });
        try (Kiln carol = TinyPredictor.open(ws(), CAROL, null)) {
            assertThatThrownBy(() -> carol.governance().transferOwnership(CHURN, CAROL)).isInstanceOf(PermissionDeniedException.class);
        }
        assertThat(audited(BOB, "ownership.transfer", "ALLOWED")).isTrue();
        assertThat(audited(CAROL, "ownership.transfer", "DENIED")).isTrue();
        assertThat(audited(CAROL, "model.alias.remove", "ALLOWED")).isTrue();
    }

    @Test
    void grantsAndOwnerFollowARename() {
        grant(Privilege.EXECUTE, CHURN, CAROL);
        as(ALICE, m -> m.rename("churn", "churn_model"));
        as(CAROL, m -> assertThat(m.load("models:/churn_model@champion").predict(new float[] {0, 0})).isEqualTo(TinyModels.expected(1)));
        try (Kiln alice = TinyPredictor.open(ws(), ALICE, null)) {
            assertThat(alice.governance().grants(Securable.model("churn"))).isEmpty();
            assertThat(alice.governance().owner(Securable.model("churn_model"))).isEqualTo(ALICE);
        }
        assertThat(audited(ALICE, "model.rename", "ALLOWED")).isTrue();
    }
}
