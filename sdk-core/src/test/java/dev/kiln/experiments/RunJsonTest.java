package dev.kiln.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RunJsonTest {

    @Test
    void writesMlflowFieldNamesOnOneLine() throws Exception {
        RunRecord r = Runs.run("abc").name("n\nx").status(RunStatus.RUNNING).start(5).end(null)
                .metric("auc", 0.5).metric("bad", Double.NaN).metric("inf", Double.NEGATIVE_INFINITY)
                .param("p", "1").tag("t", "v").input("sales.orders", 2, "train").build();
        String line = RunJson.toJsonLine(r);
        assertThat(line).doesNotContain("\n");
        JsonNode o = new ObjectMapper().readTree(line);
        assertThat(o.get("run_id").asText()).isEqualTo("abc");
        assertThat(o.get("run_name").asText()).isEqualTo("n\nx");
        assertThat(o.get("status").asText()).isEqualTo("RUNNING");
        assertThat(o.get("start_time").asLong()).isEqualTo(5);
        assertThat(o.get("end_time").isNull()).isTrue();
        assertThat(o.get("params").get("p").asText()).isEqualTo("1");
        assertThat(o.get("metrics").get("auc").asDouble()).isEqualTo(0.5);
        assertThat(o.get("metrics").get("bad").asText()).isEqualTo("NaN");
        assertThat(o.get("metrics").get("inf").asText()).isEqualTo("-Infinity");
        assertThat(o.get("tags").get("t").asText()).isEqualTo("v");
        assertThat(o.get("inputs").get(0).get("version").asLong()).isEqualTo(2);
    }
}
