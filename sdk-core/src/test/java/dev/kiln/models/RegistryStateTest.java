package dev.kiln.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.InvalidArgumentException;
import dev.kiln.models.RegistryState.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replaying registry events: the latest event wins whatever order the rows are read in. */
class RegistryStateTest {
    private static Event e(long micros, String id, String model, String name, String action, Long version, String key, String value) {
        return new Event(Instant.ofEpochSecond(0, micros * 1000), id, model, name, action, version, key, value, "alice");
    }

    @Test
    void latestEventWinsInAnyReadOrder() {
        List<Event> events = new ArrayList<>(List.of(
                e(1, "a", "m1", "churn", "CREATE", null, "n/churn/1", "first"),
                e(2, "b", "m1", "churn", "ALIAS_SET", 1L, "champion", null),
                e(3, "c", "m1", "churn", "ALIAS_SET", 2L, "champion", null),
                e(4, "d", "m1", "churn", "TAG_SET", null, "team", "risk"),
                e(5, "e", "m1", "churn", "DESCRIBE", null, null, "second"),
                e(6, "f", "m1", "churn_model", "RENAME", null, "n/churn_model/1", "churn"),
                e(7, "g", "m2", "churn", "CREATE", null, "n/churn/2", ""),
                e(8, "h", "m1", "churn_model", "VERSION_TAG_SET", 1L, "ok", "yes"),
                e(9, "i", "m1", "churn_model", "VERSION_TAG_DELETE", 1L, "ok", null)));
        for (int round = 0; round < 5; round++) {
            Collections.shuffle(events);
            RegistryState s = new RegistryState(1, 1, events, List.of());
            assertThat(s.byName).containsOnlyKeys("churn", "churn_model");
            RegistryState.Model m1 = s.byName.get("churn_model");
            assertThat(m1.aliases).isEqualTo(Map.of("champion", 2L));
            assertThat(m1.description).isEqualTo("second");
            assertThat(m1.tags).isEqualTo(Map.of("team", "risk"));
            assertThat(m1.versionTags.get(1L)).containsEntry("ok", null);
            assertThat(s.byName.get("churn").id).isEqualTo("m2");
            assertThat(s.usedClaims).contains("n/churn/1", "n/churn/2", "n/churn_model/1");
        }
    }

    @Test
    void deletedModelsFreeTheirName() {
        RegistryState s = new RegistryState(1, 1, List.of(e(1, "a", "m1", "churn", "CREATE", null, null, ""),
                e(2, "b", "m1", "churn", "DELETE", null, null, null)), List.of());
        assertThat(s.byName).isEmpty();
        assertThat(s.byId.get("m1").deleted).isTrue();
    }

    @Test
    void eventTimesIncreaseStrictlyInOneProcess() {
        Instant last = CoreModelRegistry.now();
        for (int i = 0; i < 10_000; i++) {
            Instant next = CoreModelRegistry.now();
            assertThat(next).isAfter(last);
            last = next;
        }
    }

    @Test
    void searchFilterFollowsMlflow() {
        Map<String, String> tags = Map.of("team", "risk", "my key", "x");
        assertThat(ModelFilter.parse("").test("a", tags)).isTrue();
        assertThat(ModelFilter.parse("name = 'churn'").test("churn", tags)).isTrue();
        assertThat(ModelFilter.parse("name LIKE 'ch%'").test("churn", tags)).isTrue();
        assertThat(ModelFilter.parse("name LIKE 'CH%'").test("churn", tags)).isFalse();
        assertThat(ModelFilter.parse("name ILIKE 'CH_RN'").test("churn", tags)).isTrue();
        assertThat(ModelFilter.parse("name like 'c%' and tags.team = 'risk'").test("churn", tags)).isTrue();
        assertThat(ModelFilter.parse("tags.team != 'risk'").test("churn", tags)).isFalse();
        assertThat(ModelFilter.parse("tags.`my key` = 'x'").test("churn", tags)).isTrue();
        assertThat(ModelFilter.parse("tags.other = 'x'").test("churn", tags)).isFalse();
        assertThat(ModelFilter.parse("name = 'a and b'").test("a and b", tags)).isTrue();
        assertThat(ModelFilter.parse("name = 'it''s'").test("it's", tags)).isTrue();
        assertThatThrownBy(() -> ModelFilter.parse("name > 'a'")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> ModelFilter.parse("name = 'a")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void lineageGraphRendersTextAndDot() {
        LineageGraph.Node model = new LineageGraph.Node(LineageGraph.NodeType.MODEL_VERSION, "churn", 3);
        LineageGraph.Node ft = new LineageGraph.Node(LineageGraph.NodeType.FEATURE_TABLE, "fs.a", 2);
        LineageGraph.Node src = new LineageGraph.Node(LineageGraph.NodeType.TABLE, "sales.\"odd\"", 7);
        LineageGraph g = new LineageGraph.Builder(model, true).edge(ft, model).edge(src, ft).edge(src, ft).build();
        assertThat(g.edges()).hasSize(2);
        assertThat(g.toText()).isEqualTo("model_version churn version 3\n  <- feature_table fs.a v2\n    <- table sales.\"odd\" v7\n");
        assertThat(g.toDot()).contains("\"table:sales.\\\"odd\\\"@7\" -> \"feature_table:fs.a@2\";").endsWith("}\n");
    }
}
