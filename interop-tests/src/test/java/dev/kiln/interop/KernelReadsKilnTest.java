package dev.kiln.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.Kiln;
import dev.kiln.lakehouse.CommitInfo;
import io.delta.kernel.Snapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** delta-kernel-java 4.4 (default engine) reads tables Kiln wrote: latest, every version, by timestamp. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelReadsKilnTest {
    @TempDir
    static Path dir;

    Kiln kiln;
    KilnHistory types;
    KilnHistory parts;

    @BeforeAll
    void build() {
        kiln = Kiln.open(dir.resolve("ws"));
        types = KilnHistory.types(kiln.lakehouse());
        parts = KilnHistory.parts(kiln.lakehouse());
    }

    @AfterAll
    void close() {
        kiln.close();
    }

    @Test
    void kernelReadsTheLatestSnapshotAsKilnDoes() {
        for (KilnHistory h : List.of(types, parts)) {
            Snapshot s = Kernel.latest(h.table.location());
            assertThat(s.getVersion()).isEqualTo(h.latestVersion());
            assertThat(s.getPartitionColumnNames()).isEqualTo(h.table.latest().partitionColumns());
            assertThat(s.getSchema().fieldNames()).isEqualTo(h.table.latest().schema().names());
            List<List<Object>> rows = Kernel.rows(s);
            assertThat(rows).hasSize((int) h.table.latest().scan().count());
            assertThat(rows).as("kernel read of %s", h.table.name()).isEqualTo(h.expected.get(h.latestVersion()));
        }
    }

    @Test
    void kernelReadsEveryVersion() {
        for (KilnHistory h : List.of(types, parts)) {
            for (Map.Entry<Long, List<List<Object>>> e : h.expected.entrySet()) {
                assertThat(Kernel.rows(Kernel.atVersion(h.table.location(), e.getKey())))
                        .as("kernel %s at version %d", h.table.name(), e.getKey()).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void kernelRebuildsTheStateFromKilnCheckpoint() throws Exception {
        assertThat(types.checkpointVersions()).contains(10L);
        Path copy = types.copyStartingAtCheckpoint(dir.resolve("from-checkpoint"), 10);
        assertThat(copy.resolve("_delta_log/00000000000000000009.json")).doesNotExist();
        Snapshot s = Kernel.latest(copy);
        assertThat(s.getVersion()).isEqualTo(types.latestVersion());
        assertThat(Kernel.rows(s)).isEqualTo(types.expected.get(types.latestVersion()));
        assertThat(Kernel.rows(Kernel.atVersion(copy, 10))).isEqualTo(types.expected.get(10L));
        assertThat(Canon.kiln(kiln.lakehouse().tableAt(copy).latest().scan().rows())).isEqualTo(types.expected.get(types.latestVersion()));
    }

    @Test
    void kernelDatesCommitsAsKilnDoes() {
        for (KilnHistory h : List.of(types, parts)) {
            for (CommitInfo c : h.commits) {
                Snapshot s = Kernel.atVersion(h.table.location(), c.version());
                assertThat(Kernel.timestamp(s)).as("timestamp of %s version %d (kernel vs Kiln)", h.table.name(), c.version())
                        .isEqualTo(c.timestamp().toEpochMilli());
                assertThat(Kernel.atTimestamp(h.table.location(), c.timestamp().toEpochMilli()).getVersion())
                        .as("kernel %s as of Kiln's commit time of version %d", h.table.name(), c.version()).isEqualTo(c.version());
            }
        }
    }
}
