package dev.kiln.duckdb.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.Kiln;
import dev.kiln.PermissionDeniedException;
import dev.kiln.Principal;
import dev.kiln.duckdb.GovernedWorkspace;
import dev.kiln.features.FeatureLookup;
import dev.kiln.features.FeatureStore;
import dev.kiln.features.FeatureTableDefinition;
import dev.kiln.features.OnlineStore;
import dev.kiln.features.Spine;
import dev.kiln.features.TrainingSet;
import dev.kiln.features.TrainingSetSpec;
import dev.kiln.governance.Grant;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grants on feature tables: each privilege allowed and refused, inheritance from the schema,
 * revocation, a feature table and its lakehouse table sharing grants; a refusal leaves the store as
 * it was, and every case leaves its row in {@code system.audit}, read with SQL.
 */
class FeatureGovernanceTest {
    private static final Principal ALICE = Principal.of("alice");
    private static final Principal BOB = Principal.of("bob");
    private static final Securable CUSTOMER = Securable.featureTable("fs.customer");
    private static final String ROWS = "SELECT 2::BIGINT AS id, TIMESTAMP '2024-01-02 00:00:00' AS ts, 20.0::DOUBLE AS spend";

    @TempDir
    Path dir;

    private GovernedWorkspace workspace;

    private GovernedWorkspace ws() {
        if (workspace == null) {
            workspace = new GovernedWorkspace(dir.resolve("ws"), ALICE);
        }
        return workspace;
    }

    private void as(Principal who, Consumer<FeatureStore> action) {
        try (Kiln kiln = ws().open(who)) {
            action.accept(kiln.features());
        }
    }

    private long customerVersion() {
        try (Kiln alice = ws().open(ALICE)) {
            return alice.lakehouse().table("fs.customer").latest().version();
        }
    }

    private static TrainingSetSpec spec() {
        return TrainingSetSpec.builder(Spine.table("fs.labels", "t")).lookup(FeatureLookup.builder("fs.customer").build()).build();
    }

    @BeforeEach
    void aliceOwnsAFeatureTableAndASpine() {
        try (Kiln alice = ws().open(ALICE)) {
            alice.lakehouse().createSchema("fs");
            alice.features().createTable(FeatureTableDefinition.builder("fs.customer").primaryKeys("id").timestampKey("ts").build(),
                    "SELECT 1::BIGINT AS id, TIMESTAMP '2024-01-01 00:00:00' AS ts, 10.0::DOUBLE AS spend");
            alice.lakehouse().createTable(TableDefinition.builder("fs.labels").schema("id BIGINT, t TIMESTAMP").build())
                    .append(WriteSource.query("SELECT 1::BIGINT AS id, TIMESTAMP '2024-02-01 00:00:00' AS t"));
        }
        assertThat(ws().audited(ALICE, "feature_table.create", "ALLOWED", CUSTOMER)).isEqualTo(1);
    }

    @Test
    void creatingAFeatureTableNeedsCreateOnTheSchemaAndMakesTheCreatorOwner() {
        FeatureTableDefinition bobs = FeatureTableDefinition.builder("fs.bobs").primaryKeys("id").timestampKey("ts").build();
        as(BOB, store -> assertThatThrownBy(() -> store.createTable(bobs, ROWS)).isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("CREATE").hasMessageContaining("schema fs"));
        try (Kiln alice = ws().open(ALICE)) {
            assertThat(alice.lakehouse().tableExists("fs.bobs")).isFalse();
            assertThat(alice.features().find("fs.bobs")).isEmpty();
        }
        assertThat(ws().audited(BOB, "feature_table.create", "DENIED", Securable.schema("fs"))).isEqualTo(1);

        ws().grant(Privilege.USE, Securable.schema("fs"), BOB);
        ws().grant(Privilege.CREATE, Securable.schema("fs"), BOB);
        as(BOB, store -> store.createTable(bobs, ROWS));
        try (Kiln alice = ws().open(ALICE)) {
            assertThat(alice.governance().owner(Securable.featureTable("fs.bobs"))).isEqualTo(BOB);
            assertThat(alice.features().find("fs.bobs")).isPresent();
        }
        assertThat(ws().audited(BOB, "feature_table.create", "ALLOWED", Securable.featureTable("fs.bobs"))).isEqualTo(1);
    }

    @Test
    void writingNeedsModifyGrantedOnTheFeatureTableAndRevocable() {
        long before = customerVersion();
        as(BOB, store -> assertThatThrownBy(() -> store.table("fs.customer").append(WriteSource.query(ROWS)))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("MODIFY").hasMessageContaining("feature_table fs.customer"));
        as(BOB, store -> assertThatThrownBy(() -> store.table("fs.customer").merge(WriteSource.query(ROWS)))
                .isInstanceOf(PermissionDeniedException.class));
        assertThat(customerVersion()).isEqualTo(before);
        assertThat(ws().audited(BOB, "feature_table.append", "DENIED", CUSTOMER)).isEqualTo(1);
        assertThat(ws().audited(BOB, "feature_table.merge", "DENIED", CUSTOMER)).isEqualTo(1);

        ws().grant(Privilege.USE, Securable.schema("fs"), BOB);
        ws().grant(Privilege.MODIFY, CUSTOMER, BOB);
        as(BOB, store -> store.table("fs.customer").append(WriteSource.query(ROWS)));
        assertThat(customerVersion()).isEqualTo(before + 1);
        assertThat(ws().audited(BOB, "feature_table.append", "ALLOWED", CUSTOMER)).isEqualTo(1);
        // the lakehouse table is the same object: its own check passed and its own row is written
        assertThat(ws().audited(BOB, "table.append", "ALLOWED", Securable.table("fs.customer"))).isEqualTo(1);

        ws().revoke(Privilege.MODIFY, CUSTOMER, BOB);
        as(BOB, store -> assertThatThrownBy(() -> store.table("fs.customer").append(WriteSource.query(ROWS)))
                .isInstanceOf(PermissionDeniedException.class));
        assertThat(customerVersion()).isEqualTo(before + 1);
        assertThat(ws().audited(BOB, "feature_table.append", "DENIED", CUSTOMER)).isEqualTo(2);
    }

    @Test
    void trainingSetsAndOnlineStoresNeedReadInheritedFromTheSchema() {
        as(BOB, store -> {
            assertThatThrownBy(() -> store.trainingSet(spec())).isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("READ").hasMessageContaining("feature_table fs.customer");
            assertThatThrownBy(() -> store.onlineStore("fs.customer", null)).isInstanceOf(PermissionDeniedException.class);
        });
        assertThat(ws().audited(BOB, "training_set.create", "DENIED", CUSTOMER)).isEqualTo(1);
        assertThat(ws().audited(BOB, "feature_table.publish", "DENIED", CUSTOMER)).isEqualTo(1);

        ws().grant(Privilege.USE, Securable.schema("fs"), BOB);
        ws().grant(Privilege.READ, Securable.schema("fs"), BOB);
        as(BOB, store -> {
            try (TrainingSet set = store.trainingSet(spec()); Rows rows = set.rows()) {
                assertThat(rows.next()).isTrue();
            }
            OnlineStore online = store.onlineStore("fs.customer", null);
            try {
                assertThat(online.get(1L)).isPresent();
            } finally {
                online.close();
            }
        });
        assertThat(ws().audited(BOB, "training_set.create", "ALLOWED", CUSTOMER)).isEqualTo(1);
        assertThat(ws().audited(BOB, "feature_table.publish", "ALLOWED", CUSTOMER)).isEqualTo(1);

        ws().revoke(Privilege.READ, Securable.schema("fs"), BOB);
        as(BOB, store -> assertThatThrownBy(() -> store.trainingSet(spec())).isInstanceOf(PermissionDeniedException.class));
        assertThat(ws().audited(BOB, "training_set.create", "DENIED", CUSTOMER)).isEqualTo(2);
    }

    @Test
    void droppingNeedsManageAndARefusalKeepsDefinitionAndData() {
        as(BOB, store -> assertThatThrownBy(() -> store.drop("fs.customer", true)).isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("MANAGE"));
        try (Kiln alice = ws().open(ALICE)) {
            assertThat(alice.features().find("fs.customer")).isPresent();
            assertThat(alice.lakehouse().tableExists("fs.customer")).isTrue();
        }
        assertThat(ws().audited(BOB, "feature_table.drop", "DENIED", CUSTOMER)).isEqualTo(1);

        ws().grant(Privilege.USE, Securable.schema("fs"), BOB);
        ws().grant(Privilege.MANAGE, CUSTOMER, BOB);
        as(BOB, store -> store.drop("fs.customer", true));
        try (Kiln alice = ws().open(ALICE)) {
            assertThat(alice.features().find("fs.customer")).isEmpty();
            assertThat(alice.lakehouse().tableExists("fs.customer")).isFalse();
        }
        assertThat(ws().audited(BOB, "feature_table.drop", "ALLOWED", CUSTOMER)).isEqualTo(1);
    }

    @Test
    void aGrantOnTheFeatureTableIsAGrantOnItsLakehouseTable() {
        ws().grant(Privilege.USE, Securable.schema("fs"), BOB);
        ws().grant(Privilege.READ, CUSTOMER, BOB);
        try (Kiln bob = ws().open(BOB)) {
            assertThat(bob.lakehouse().table("fs.customer").latest().scan().count()).isEqualTo(1);
            assertThat(bob.governance().grants(Securable.table("fs.customer"))).extracting(Grant::principal, Grant::privilege)
                    .contains(org.assertj.core.groups.Tuple.tuple(BOB, Privilege.READ));
            assertThat(bob.governance().owner(CUSTOMER)).isEqualTo(ALICE);
        }
    }
}
