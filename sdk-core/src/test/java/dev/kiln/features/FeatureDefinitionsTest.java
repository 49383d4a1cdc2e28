package dev.kiln.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.InvalidArgumentException;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Schema;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Definitions, lookups and the online store's ordering rule, without a backend. */
class FeatureDefinitionsTest {

    @Test
    void definitionRoundTripsThroughJson() {
        FeatureTableDefinition d = FeatureTableDefinition.builder("fs.customer").primaryKeys("id", "region").timestampKey("ts")
                .createdColumn("ingested").description("d \"quoted\"").owner("risk").tag("pii", "").tag("team", "growth")
                .featureDescription("spend", "30-day spend").build()
                .recorded("SELECT 1", Map.of("sales.orders", 3L), Instant.parse("2024-01-01T00:00:00Z"), "alice");
        assertThat(DefinitionRegistry.fromJson(DefinitionRegistry.toJson(d))).isEqualTo(d);
        FeatureTableDefinition minimal = FeatureTableDefinition.builder("fs.x").primaryKeys("id").timestampKey("ts").build();
        assertThat(DefinitionRegistry.fromJson(DefinitionRegistry.toJson(minimal))).isEqualTo(minimal);
        assertThat(minimal.created()).isEmpty();
        assertThat(d.reservedColumns()).containsExactly("id", "region", "ts", "ingested");
    }

    @Test
    void definitionsAreChecked() {
        assertThatThrownBy(() -> FeatureTableDefinition.builder("fs.x").timestampKey("ts").build())
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("primary key");
        assertThatThrownBy(() -> FeatureTableDefinition.builder("fs.x").primaryKeys("id").build())
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("event-time");
        assertThatThrownBy(() -> FeatureTableDefinition.builder("fs.x").primaryKeys("ts").timestampKey("ts").build())
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> FeatureTableDefinition.builder("fs.x").primaryKeys("id").timestampKey("ts").createdColumn("TS").build())
                .isInstanceOf(InvalidArgumentException.class);
        Schema schema = Schema.parse("id BIGINT, ts STRING, x DOUBLE");
        assertThatThrownBy(() -> LakehouseFeatureStore.validate(FeatureTableDefinition.builder("fs.x").primaryKeys("id").timestampKey("ts")
                .build(), schema)).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("STRING");
        assertThatThrownBy(() -> LakehouseFeatureStore.validate(FeatureTableDefinition.builder("fs.x").primaryKeys("id").timestampKey("x")
                .build(), Schema.parse("id BIGINT, x TIMESTAMP"))).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("no feature");
        assertThatThrownBy(() -> LakehouseFeatureStore.validate(FeatureTableDefinition.builder("fs.x").primaryKeys("id").timestampKey("ts")
                .featureDescription("nope", "?").build(), Schema.parse("id BIGINT, ts DATE, x DOUBLE")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("nope");
        FeatureTableDefinition ok = LakehouseFeatureStore.validate(FeatureTableDefinition.builder("fs.x").primaryKeys("ID").timestampKey("Ts")
                .build(), Schema.parse("id BIGINT, ts TIMESTAMP_NTZ, x DOUBLE"));
        assertThat(ok.primaryKeys()).containsExactly("id");
        assertThat(ok.timestampKey()).isEqualTo("ts");
    }

    @Test
    void lookbackSettingsDoNotOverloadZero() {
        assertThat(Lookback.unbounded()).isNotEqualTo(Lookback.exactMatch());
        assertThatThrownBy(() -> Lookback.window(Duration.ZERO)).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("exactMatch");
        assertThatThrownBy(() -> Lookback.window(Duration.ofSeconds(-1))).isInstanceOf(InvalidArgumentException.class);
        FeatureLookup l = FeatureLookup.builder("fs.x").features("a").rename("a", "b").mapKey("id", "cust").exactMatch().build();
        assertThat(l.lookback()).isEqualTo(Lookback.exactMatch());
        assertThat(l.outputName("a")).isEqualTo("b");
        assertThat(l.spineColumn("id")).isEqualTo("cust");
        assertThat(FeatureLookup.builder("fs.x").build().lookback()).isEqualTo(Lookback.unbounded());
        assertThatThrownBy(() -> TrainingSetSpec.builder(Spine.table("ml.s", "t")).build()).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void timesAreComparedInUtc() {
        assertThat(SqlText.utc("x", DataType.Primitive.TIMESTAMP, "c")).isEqualTo("x");
        assertThat(SqlText.utc("x", DataType.Primitive.TIMESTAMP_NTZ, "c")).isEqualTo("timezone('UTC', x)");
        assertThat(SqlText.utc("x", DataType.Primitive.DATE, "c")).contains("timezone('UTC'");
        assertThatThrownBy(() -> SqlText.utc("x", DataType.Primitive.STRING, "Column x")).isInstanceOf(InvalidArgumentException.class);
        Instant i = Instant.parse("2024-05-01T10:00:00.123456Z");
        assertThat(InMemoryOnlineStore.micros(i)).isEqualTo(InMemoryOnlineStore.micros(LocalDateTime.parse("2024-05-01T10:00:00.123456")));
        assertThat(InMemoryOnlineStore.micros(LocalDate.parse("2024-05-01")))
                .isEqualTo(InMemoryOnlineStore.micros(Instant.parse("2024-05-01T00:00:00Z")));
    }

    @Test
    void onlineWritesOnlyMoveForward() {
        FeatureVector v = new FeatureVector(List.of("a"), new Object[] {1.0}, Instant.EPOCH, 1, false);
        FeatureVector w = new FeatureVector(List.of("a"), new Object[] {2.0}, Instant.EPOCH, 2, false);
        InMemoryOnlineStore.Entry held = new InMemoryOnlineStore.Entry(v, 100, 5, 1);
        assertThat(InMemoryOnlineStore.newer(new InMemoryOnlineStore.Entry(w, 99, 50, 2), held)).isFalse();   // older event
        assertThat(InMemoryOnlineStore.newer(new InMemoryOnlineStore.Entry(w, 101, 0, -1), held)).isTrue();   // newer event
        assertThat(InMemoryOnlineStore.newer(new InMemoryOnlineStore.Entry(w, 100, 4, 2), held)).isFalse();   // same event, older created
        assertThat(InMemoryOnlineStore.newer(new InMemoryOnlineStore.Entry(w, 100, 6, -1), held)).isTrue();   // same event, newer created
        assertThat(InMemoryOnlineStore.newer(new InMemoryOnlineStore.Entry(w, 100, 5, 2), held)).isTrue();    // corrected in a newer version
        assertThat(InMemoryOnlineStore.newer(new InMemoryOnlineStore.Entry(v, 100, 5, 2), held)).isFalse();   // same values republished
        assertThat(InMemoryOnlineStore.newer(new InMemoryOnlineStore.Entry(w, 100, 5, -1), held)).isFalse();  // direct write, no newer
        assertThat(InMemoryOnlineStore.normalise(42)).isEqualTo(42L);
        assertThat(InMemoryOnlineStore.normalise((short) 4)).isEqualTo(4L);
        assertThat(InMemoryOnlineStore.normalise("k")).isEqualTo("k");
    }
}
