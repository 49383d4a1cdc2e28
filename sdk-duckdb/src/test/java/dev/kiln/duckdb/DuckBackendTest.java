package dev.kiln.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.ConflictException;
import dev.kiln.Kiln;
import dev.kiln.duckdb.delta.Action;
import dev.kiln.duckdb.delta.AddFile;
import dev.kiln.duckdb.delta.LogSnapshot;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is specific to the DuckDB backend: files on disk, stats, Parquet and Arrow exchange, conflicts. */
class DuckBackendTest {
    @TempDir
    Path dir;
    Kiln kiln;

    @BeforeEach
    void open() {
        kiln = Kiln.open(dir.resolve("ws"));
        kiln.lakehouse().createSchema("s");
    }

    @AfterEach
    void close() {
        kiln.close();
    }

    private Table numbers(int rows) {
        Table t = kiln.lakehouse().createTable(TableDefinition.builder("s.n").schema("id BIGINT, x DOUBLE, ts TIMESTAMP").build());
        t.append(WriteSource.query("SELECT i::BIGINT AS id, i / 2.0 AS x, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i::BIGINT) AS ts "
                + "FROM range(" + rows + ") r(i)"));
        return t;
    }

    @Test
    void commitsAreDeltaJsonWithStatsAndCommitInfo() throws Exception {
        Table t = numbers(100);
        Path commit = t.location().resolve("_delta_log/00000000000000000001.json");
        List<JsonNode> actions = new ArrayList<>();
        for (String line : Files.readAllLines(commit)) {
            actions.add(new ObjectMapper().readTree(line));
        }
        JsonNode info = actions.stream().filter(a -> a.has("commitInfo")).findFirst().orElseThrow().get("commitInfo");
        assertThat(info.get("operation").asText()).isEqualTo("WRITE");
        assertThat(info.get("userName").asText()).isEqualTo(kiln.principal().name());
        assertThat(info.get("engineInfo").asText()).startsWith("Kiln/");
        JsonNode add = actions.stream().filter(a -> a.has("add")).findFirst().orElseThrow().get("add");
        JsonNode stats = new ObjectMapper().readTree(add.get("stats").asText());
        assertThat(stats.get("numRecords").asLong()).isEqualTo(100);
        assertThat(stats.get("minValues").get("id").asLong()).isZero();
        assertThat(stats.get("maxValues").get("id").asLong()).isEqualTo(99);
        assertThat(stats.get("minValues").get("ts").asText()).isEqualTo("2024-01-01T00:00:00.000Z");
        assertThat(stats.get("nullCount").get("x").asLong()).isZero();
        assertThat(t.location().resolve(add.get("path").asText())).isRegularFile();
    }

    @Test
    void parquetAndArrowInAndOut() throws Exception {
        Table t = numbers(1000);
        Path parquet = dir.resolve("export.parquet");
        try (var connection = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var st = connection.createStatement()) {
            st.execute("COPY (SELECT i::BIGINT AS id, i * 1.0 AS x FROM range(1000, 1500) r(i)) TO '" + parquet + "' (FORMAT parquet)");
        }
        t.append(WriteSource.parquet(parquet));
        assertThat(t.latest().scan().count()).isEqualTo(1500);
        long rows = 0;
        double sum = 0;
        try (BufferAllocator allocator = new RootAllocator(); ArrowReader reader = t.latest().scan().columns("id", "x").toArrow(allocator)) {
            while (reader.loadNextBatch()) {
                var root = reader.getVectorSchemaRoot();
                rows += root.getRowCount();
                var ids = (org.apache.arrow.vector.BigIntVector) root.getVector("id");
                for (int i = 0; i < root.getRowCount(); i++) {
                    sum += ids.get(i);
                }
            }
        }
        assertThat(rows).isEqualTo(1500);
        assertThat(sum).isEqualTo(1499.0 * 1500 / 2);
        Table copy = kiln.lakehouse().createTable(TableDefinition.builder("s.copy").schema("id BIGINT, x DOUBLE").build());
        try (BufferAllocator allocator = new RootAllocator(); ArrowReader reader = t.latest().scan().columns("id", "x").toArrow(allocator)) {
            copy.append(WriteSource.arrow(reader));
        }
        try (Rows r = kiln.lakehouse().sql("SELECT count(*), sum(id) FROM s.copy")) {
            r.next();
            assertThat(r.get(0)).isEqualTo(1500L);
        }
    }

    @Test
    void aRewriteThatLostTheRaceToADeleteOfItsFilesConflicts() {
        Table t = numbers(10);
        // the backend's own table, below the workspace's governance layer
        var backend = new DuckStorageProvider().open(new dev.kiln.spi.StorageContext(kiln.root(), Map.of(), sql -> {
            throw new UnsupportedOperationException(sql);
        }));
        DeltaTable table = (DeltaTable) backend.openTable(t.location(), "s.n", new dev.kiln.spi.CommitContext(kiln.principal(), Map.of()));
        LogSnapshot read = table.readLatest();
        t.delete("id = 3"); // another writer removes the file our operation read
        List<Action> actions = new ArrayList<>();
        long now = System.currentTimeMillis();
        Set<String> readPaths = new HashSet<>();
        for (AddFile f : read.files()) {
            actions.add(DeltaTable.remove(f, now, true));
            readPaths.add(f.path());
        }
        long before = t.latest().version();
        assertThatThrownBy(() -> table.commit(read, "DELETE", Map.of(), Map.of(), actions, DeltaTable.Kind.REWRITE, readPaths))
                .isInstanceOf(ConflictException.class).hasMessageContaining("s.n");
        assertThat(t.latest().version()).isEqualTo(before);
        assertThat(t.latest().scan().count()).isEqualTo(9);
        // an overwrite that read an older version conflicts with any concurrent data change
        assertThatThrownBy(() -> table.commit(read, "WRITE", Map.of(), Map.of(), List.of(), DeltaTable.Kind.OVERWRITE, Set.of()))
                .isInstanceOf(ConflictException.class);
        // a blind append is simply placed after the winners
        var committed = table.commit(read, "WRITE", Map.of(), Map.of(), List.of(), DeltaTable.Kind.BLIND_APPEND, Set.of());
        assertThat(committed.version()).isEqualTo(before + 1);
        backend.close();
    }

    @Test
    void checkpointsAreWrittenEveryTenCommits() throws Exception {
        Table t = numbers(1);
        for (int i = 0; i < 10; i++) {
            t.append(WriteSource.query("SELECT 1::BIGINT AS id"));
        }
        try (Stream<Path> log = Files.list(t.location().resolve("_delta_log"))) {
            assertThat(log.map(p -> p.getFileName().toString())).contains("00000000000000000010.checkpoint.parquet", "_last_checkpoint");
        }
        assertThat(kiln.lakehouse().table("s.n").latest().scan().count()).isEqualTo(11);
    }
}
