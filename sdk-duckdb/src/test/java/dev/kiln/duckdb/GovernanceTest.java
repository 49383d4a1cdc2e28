package dev.kiln.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.Kiln;
import dev.kiln.PermissionDeniedException;
import dev.kiln.Principal;
import dev.kiln.governance.AuditEvent;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grants on the lakehouse: each privilege allowed and refused, inheritance, revocation, ownership, audit. */
class GovernanceTest {
    private static final Principal ALICE = Principal.of("alice");
    private static final Principal BOB = Principal.of("bob");
    private static final Principal CAROL = Principal.of("carol");

    @TempDir
    Path dir;

    private Kiln as(Principal principal) {
        return Kiln.builder().root(dir).principal(principal).open();
    }

    @BeforeEach
    void aliceOwnsTheWorkspace() {
        try (Kiln alice = as(ALICE)) {
            alice.lakehouse().createSchema("sales");
            alice.lakehouse().createTable(TableDefinition.builder("sales.orders").schema("id BIGINT").build())
                    .append(WriteSource.values(List.<Object[]>of(new Object[] {1L})));
            assertThat(alice.governance().owner(Securable.CATALOG)).isEqualTo(ALICE);
            assertThat(alice.governance().owner(Securable.table("sales.orders"))).isEqualTo(ALICE);
        }
    }

    private static List<AuditEvent> audit(Kiln kiln, Principal who, String outcome) {
        List<AuditEvent> out = new ArrayList<>();
        for (AuditEvent e : kiln.governance().auditLog()) {
            if (e.principal().equals(who) && e.outcome().equals(outcome)) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void readNeedsReadAndUseOnTheSchema() {
        try (Kiln bob = as(BOB)) {
            assertThatThrownBy(() -> bob.lakehouse().table("sales.orders").latest()).isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("READ").hasMessageContaining("sales.orders").hasMessageContaining("alice");
            assertThatThrownBy(() -> bob.lakehouse().sql("SELECT * FROM sales.orders")).isInstanceOf(PermissionDeniedException.class);
        }
        try (Kiln alice = as(ALICE)) {
            alice.governance().grant(Privilege.READ, Securable.table("sales.orders"), BOB);
        }
        try (Kiln bob = as(BOB)) {
            assertThatThrownBy(() -> bob.lakehouse().table("sales.orders").latest()).isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("USE");
        }
        try (Kiln alice = as(ALICE)) {
            alice.governance().grant(Privilege.USE, Securable.schema("sales"), BOB);
        }
        try (Kiln bob = as(BOB)) {
            assertThat(bob.lakehouse().table("sales.orders").latest().scan().count()).isEqualTo(1);
            assertThat(audit(bob, BOB, "DENIED")).extracting(AuditEvent::action).contains("read");
        }
    }

    @Test
    void modifyIsInheritedFromTheSchemaAndRevocable() {
        try (Kiln alice = as(ALICE)) {
            alice.governance().grant(Privilege.USE, Securable.schema("sales"), BOB);
            alice.governance().grant(Privilege.READ, Securable.schema("sales"), BOB);
        }
        try (Kiln bob = as(BOB)) {
            Table orders = bob.lakehouse().table("sales.orders");
            long version = orders.latest().version();
            assertThatThrownBy(() -> orders.append(WriteSource.values(List.<Object[]>of(new Object[] {2L}))))
                    .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("MODIFY");
            assertThatThrownBy(() -> orders.delete("true")).isInstanceOf(PermissionDeniedException.class);
            assertThat(orders.latest().version()).isEqualTo(version);
        }
        try (Kiln alice = as(ALICE)) {
            alice.governance().grant(Privilege.MODIFY, Securable.schema("sales"), BOB);
        }
        try (Kiln bob = as(BOB)) {
            bob.lakehouse().table("sales.orders").append(WriteSource.values(List.<Object[]>of(new Object[] {2L})));
            assertThat(bob.lakehouse().table("sales.orders").latest().scan().count()).isEqualTo(2);
            assertThat(bob.lakehouse().table("sales.orders").history().get(0).principal()).isEqualTo("bob");
        }
        try (Kiln alice = as(ALICE)) {
            alice.governance().revoke(Privilege.MODIFY, Securable.schema("sales"), BOB);
        }
        try (Kiln bob = as(BOB)) {
            assertThatThrownBy(() -> bob.lakehouse().table("sales.orders").append(WriteSource.values(List.<Object[]>of(new Object[] {3L}))))
                    .isInstanceOf(PermissionDeniedException.class);
        }
    }

    @Test
    void createNeedsCreateOnTheSchemaAndMakesTheCreatorOwner() {
        try (Kiln bob = as(BOB)) {
            assertThatThrownBy(() -> bob.lakehouse().createTable(TableDefinition.builder("sales.bobs").schema("id INT").build()))
                    .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("CREATE");
            assertThat(bob.lakehouse().tableExists("sales.bobs")).isFalse();
            assertThatThrownBy(() -> bob.lakehouse().createSchema("bobs")).isInstanceOf(PermissionDeniedException.class);
            assertThat(bob.lakehouse().schemas()).doesNotContain("bobs");
        }
        try (Kiln alice = as(ALICE)) {
            alice.governance().grant(Privilege.USE, Securable.schema("sales"), BOB);
            alice.governance().grant(Privilege.CREATE, Securable.schema("sales"), BOB);
        }
        try (Kiln bob = as(BOB)) {
            Table bobs = bob.lakehouse().createTable(TableDefinition.builder("sales.bobs").schema("id INT").build());
            bobs.append(WriteSource.values(List.<Object[]>of(new Object[] {1})));
            assertThat(bob.governance().owner(Securable.table("sales.bobs"))).isEqualTo(BOB);
            bob.governance().grant(Privilege.READ, Securable.table("sales.bobs"), CAROL);
            assertThatThrownBy(() -> bob.governance().grant(Privilege.READ, Securable.table("sales.orders"), CAROL))
                    .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("MANAGE");
        }
    }

    @Test
    void ownershipTransferMovesTheRightToGrant() {
        try (Kiln bob = as(BOB)) {
            assertThatThrownBy(() -> bob.governance().transferOwnership(Securable.table("sales.orders"), BOB))
                    .isInstanceOf(PermissionDeniedException.class);
        }
        try (Kiln alice = as(ALICE)) {
            alice.governance().transferOwnership(Securable.table("sales.orders"), BOB);
            assertThat(alice.governance().owner(Securable.table("sales.orders"))).isEqualTo(BOB);
        }
        try (Kiln bob = as(BOB)) {
            bob.governance().grant(Privilege.MODIFY, Securable.table("sales.orders"), CAROL);
            assertThat(bob.governance().grants(Securable.table("sales.orders"))).extracting(g -> g.principal().name()).contains("carol");
        }
    }

    @Test
    void grantsAndAuditAreKeptByKilnAndAuditIsQueryableWithSql() {
        try (Kiln alice = as(ALICE)) {
            assertThatThrownBy(() -> alice.lakehouse().table("system.audit").delete("true")).isInstanceOf(PermissionDeniedException.class);
            assertThatThrownBy(() -> alice.lakehouse().table("system.grants").append(WriteSource.values(List.<Object[]>of(
                    new Object[] {null, "GRANT", "TABLE", "sales.orders", "mallory", "MANAGE", "mallory"}))))
                    .isInstanceOf(PermissionDeniedException.class);
            alice.governance().grant(Privilege.READ, Securable.table("sales.orders"), CAROL);
            alice.governance().auditLog(); // flushes
            try (Rows rows = alice.lakehouse().sql("SELECT action, outcome FROM system.audit WHERE principal = 'alice' ORDER BY time")) {
                List<String> seen = new ArrayList<>();
                while (rows.next()) {
                    seen.add(rows.get(0) + ":" + rows.get(1));
                }
                assertThat(seen).contains("schema.create:ALLOWED", "table.create:ALLOWED", "table.append:ALLOWED", "grant:ALLOWED",
                        "table.delete:DENIED");
            }
        }
    }
    @Test
    void auditEventsRecordedFromManyThreadsWhileFullBatchesCommitInTheBackgroundLandOnceEach() throws Exception {
        int threads = 4;
        int each = 700; // several full batches per thread, so background commits run while others record
        try (Kiln alice = as(ALICE)) {
            List<Thread> recorders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                recorders.add(new Thread(() -> {
                    for (int i = 0; i < each; i++) {
                        alice.governance().audit("test.event", Securable.table("sales.orders"), "ALLOWED",
                                java.util.Map.of("n", thread + "/" + i));
                    }
                }));
            }
            recorders.forEach(Thread::start);
            for (Thread recorder : recorders) {
                recorder.join();
            }
        }
        try (Kiln alice = as(ALICE)) {
            List<String> seen = new ArrayList<>();
            for (AuditEvent e : alice.governance().auditLog()) {
                if (e.action().equals("test.event")) {
                    seen.add(e.details().get("n"));
                }
            }
            assertThat(seen).hasSize(threads * each).doesNotHaveDuplicates();
        }
    }
}
