package dev.kiln.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes writing one table: appends from several JVMs, and a writer killed mid-loop. */
class MultiProcessTest {
    @TempDir
    Path dir;

    private static Process worker(Path root, String table, int worker, int count) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                AppendWorker.class.getName(), root.toString(), table, String.valueOf(worker), String.valueOf(count))
                .redirectErrorStream(true).start();
    }

    private static Table createTable(Kiln kiln) {
        kiln.lakehouse().createSchema("s");
        // checkpoints every 10 commits also run under contention
        Table table = kiln.lakehouse().createTable(TableDefinition.builder("s.log").schema("worker BIGINT, seq BIGINT").build());
        for (int w = 0; w < 4; w++) {
            // the workers act as other principals: the grants reach them through the workspace's files
            kiln.governance().grant(Privilege.USE, Securable.schema("s"), Principal.of("worker" + w));
            kiln.governance().grant(Privilege.MODIFY, Securable.table("s.log"), Principal.of("worker" + w));
        }
        return table;
    }

    @Test
    void fourProcessesAppendingConcurrentlyLoseAndDoubleNothing() throws Exception {
        Path root = dir.resolve("ws");
        int workers = 4;
        int perWorker = 250;
        try (Kiln kiln = Kiln.open(root)) {
            createTable(kiln);
        }
        List<Process> processes = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            processes.add(worker(root, "s.log", w, perWorker));
        }
        for (Process p : processes) {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(output.length() > 2000 ? output.substring(output.length() - 2000) : output).isZero();
        }
        try (Kiln kiln = Kiln.open(root)) {
            Table table = kiln.lakehouse().table("s.log");
            assertThat(table.latest().version()).isEqualTo(workers * perWorker);
            Set<String> seen = new HashSet<>();
            try (Rows rows = table.latest().scan().rows()) {
                while (rows.next()) {
                    assertThat(seen.add(rows.get(0) + ":" + rows.get(1))).as("duplicate row").isTrue();
                }
            }
            assertThat(seen).hasSize(workers * perWorker);
        }
    }

    @Test
    void aWriterKilledAtRandomPointsLeavesAReadableTable() throws Exception {
        Path root = dir.resolve("ws");
        try (Kiln kiln = Kiln.open(root)) {
            createTable(kiln);
        }
        Random random = new Random(42);
        long expectedAtLeast = 0;
        for (int round = 0; round < 4; round++) {
            Process p = worker(root, "s.log", round, 1_000);
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int waitFor = 3 + random.nextInt(15);
            int committed = 0;
            String line;
            while (committed < waitFor && (line = out.readLine()) != null) {
                if (line.startsWith("committed")) {
                    committed++;
                }
            }
            Thread.sleep(random.nextInt(40));
            p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
            assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
            expectedAtLeast += committed;
            try (Kiln kiln = Kiln.open(root)) {
                Table table = kiln.lakehouse().table("s.log");
                long version = table.latest().version();
                assertThat(table.latest().scan().count()).isEqualTo(version).isGreaterThanOrEqualTo(expectedAtLeast);
                table.append(WriteSource.values(List.<Object[]>of(new Object[] {-1L, (long) round})));
                assertThat(table.latest().version()).isEqualTo(version + 1);
                expectedAtLeast = version + 1;
            }
        }
    }

    @Test
    void aWriterKilledWhileCheckpointingLeavesOnlyWholeCheckpoints() throws Exception {
        Path root = dir.resolve("ws");
        Path location;
        try (Kiln kiln = Kiln.open(root)) {
            kiln.lakehouse().createSchema("s");
            // a checkpoint after every commit: a kill lands in the middle of one often
            location = kiln.lakehouse().createTable(TableDefinition.builder("s.cp").schema("worker BIGINT, seq BIGINT")
                    .property("delta.checkpointInterval", "1").build()).location();
            kiln.governance().grant(Privilege.USE, Securable.schema("s"), Principal.of("worker0"));
            kiln.governance().grant(Privilege.MODIFY, Securable.table("s.cp"), Principal.of("worker0"));
        }
        Random random = new Random(7);
        for (int round = 0; round < 3; round++) {
            Process p = worker(root, "s.cp", 0, 1_000);
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int waitFor = 5 + random.nextInt(20);
            int committed = 0;
            String line;
            while (committed < waitFor && (line = out.readLine()) != null) {
                if (line.startsWith("committed")) {
                    committed++;
                }
            }
            p.destroyForcibly();
            assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
            // every checkpoint that is visible is whole, and the hint never names a missing one
            java.util.List<Path> checkpoints;
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(location.resolve("_delta_log"))) {
                checkpoints = files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.checkpoint\\.parquet")).toList();
            }
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); java.sql.Statement st = c.createStatement()) {
                for (Path cp : checkpoints) {
                    try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + cp + "') WHERE protocol IS NOT NULL")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getLong(1)).as(cp.toString()).isEqualTo(1);
                    }
                }
            }
            Path hint = location.resolve("_delta_log/_last_checkpoint");
            if (java.nio.file.Files.exists(hint)) {
                long hinted = new com.fasterxml.jackson.databind.ObjectMapper().readTree(hint.toFile()).get("version").asLong();
                assertThat(location.resolve("_delta_log/" + String.format("%020d.checkpoint.parquet", hinted))).exists();
            }
            try (Kiln kiln = Kiln.open(root)) {
                Table table = kiln.lakehouse().table("s.cp");
                long version = table.latest().version();
                assertThat(version).isGreaterThanOrEqualTo(committed);
                assertThat(table.latest().scan().count()).isEqualTo(version);
            }
        }
    }
}
