package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code kiln table} commands as a script would call them, checked on their output and exit codes. */
class TableCommandTest {
    @TempDir
    Path dir;

    private CliRun kiln(String... args) {
        return CliRun.in(dir.resolve("ws"), args);
    }

    @Test
    void createAppendReadAndTravelAsTheIssueSpells() throws Exception {
        assertThat(kiln("table", "create", "sales.orders", "--schema", "id BIGINT, ts TIMESTAMP, x DOUBLE, d DECIMAL(6,2)").code()).isZero();
        Path csv = dir.resolve("orders.csv");
        Files.writeString(csv, "id,ts,x,d\n1,2024-05-01T10:00:00.5Z,1.5,3.10\n2,2024-05-01 11:00:00,NaN,-0.5\n3,,inf,\n");
        CliRun append = kiln("table", "append", "sales.orders", "--from", csv.toString());
        assertThat(append.code()).as(append.err()).isZero();
        List<JsonNode> rows = kiln("table", "read", "sales.orders", "--format", "jsonl").jsonLines();
        assertThat(rows).hasSize(3);
        JsonNode first = rows.stream().filter(r -> r.get("id").asLong() == 1).findFirst().orElseThrow();
        assertThat(first.get("ts").asText()).isEqualTo("2024-05-01T10:00:00.500000Z");
        assertThat(first.get("x").asDouble()).isEqualTo(1.5);
        assertThat(first.get("d").isTextual()).isTrue();
        assertThat(first.get("d").asText()).isEqualTo("3.10");
        List<String> fieldOrder = new ArrayList<>();
        first.fieldNames().forEachRemaining(fieldOrder::add);
        assertThat(fieldOrder).containsExactly("id", "ts", "x", "d");
        JsonNode second = rows.stream().filter(r -> r.get("id").asLong() == 2).findFirst().orElseThrow();
        assertThat(second.get("x").asText()).isEqualTo("NaN");
        JsonNode third = rows.stream().filter(r -> r.get("id").asLong() == 3).findFirst().orElseThrow();
        assertThat(third.get("x").asText()).isEqualTo("Infinity");
        assertThat(third.get("ts").isNull()).isTrue();
        assertThat(kiln("table", "read", "sales.orders", "--version", "0").out()).isEmpty();
        CliRun csvOut = kiln("table", "read", "sales.orders", "--format", "csv", "--version", "1");
        assertThat(csvOut.out().split("\n")[0]).isEqualTo("id,ts,x,d");
        assertThat(csvOut.out().split("\n")).hasSize(4);
        Path out = dir.resolve("out.jsonl");
        assertThat(kiln("table", "read", "sales.orders", "--out", out.toString()).code()).isZero();
        assertThat(Files.readAllLines(out)).hasSize(3);
        List<JsonNode> history = kiln("table", "history", "sales.orders", "--format", "jsonl").jsonLines();
        assertThat(history).extracting(h -> h.get("operation").asText()).containsExactly("WRITE", "CREATE TABLE");
        assertThat(kiln("table", "optimize", "sales.orders").code()).isZero();
        assertThat(kiln("table", "vacuum", "sales.orders").code()).isZero();
    }

    @Test
    void errorsExitOneAndUsageErrorsExitTwo() {
        CliRun missing = kiln("table", "read", "sales.nope");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("sales.nope");
        assertThat(kiln("table", "create", "bad/name.t", "--schema", "id INT").code()).isEqualTo(1);
        assertThat(kiln("table", "create", "s.t").code()).isEqualTo(2);
        assertThat(kiln("table", "frobnicate").code()).isEqualTo(2);
        assertThat(kiln("table", "read", "s.t", "--version", "1", "--timestamp", "2024-01-01T00:00:00Z").code()).isEqualTo(2);
    }

    @Test
    void readsAnyDeltaFolderByPath() throws Exception {
        Path golden = Path.of(System.getProperty("kiln.shared.dir"), "conformance", "delta-golden", "basic-decimal-table", "delta");
        assertThat(golden).isDirectory();
        CliRun r = kiln("table", "read", "--path", golden.toString(), "--format", "jsonl");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.jsonLines()).isNotEmpty().allSatisfy(row -> assertThat(row.size()).isPositive());
    }
}
