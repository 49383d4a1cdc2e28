package dev.kiln.duckdb.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.StorageException;
import dev.kiln.UnsupportedFeatureException;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Schema everyType() {
        Map<String, String> mapping = new LinkedHashMap<>();
        mapping.put("delta.columnMapping.id", "7");
        mapping.put("delta.columnMapping.physicalName", "col-5f422f40-de70-45b2-88ab-1d5c90e94db1");
        mapping.put("comment", "42");
        DataType.Struct inner = new DataType.Struct(List.of(
                new Field("d", DataType.Primitive.INT, false, Map.of("delta.columnMapping.id", "5", "delta.columnMapping.physicalName", "col-a7")),
                Field.of("e", new DataType.Decimal(38, 18))));
        return new Schema(List.of(
                Field.of("b", DataType.Primitive.BOOLEAN),
                Field.of("i8", DataType.Primitive.TINYINT),
                Field.of("i16", DataType.Primitive.SMALLINT),
                new Field("i32", DataType.Primitive.INT, false, Map.of()),
                Field.of("i64", DataType.Primitive.BIGINT),
                Field.of("f32", DataType.Primitive.FLOAT),
                Field.of("f64", DataType.Primitive.DOUBLE),
                Field.of("s", DataType.Primitive.STRING),
                Field.of("bin", DataType.Primitive.BINARY),
                Field.of("dt", DataType.Primitive.DATE),
                Field.of("ts", DataType.Primitive.TIMESTAMP),
                Field.of("ntz", DataType.Primitive.TIMESTAMP_NTZ),
                Field.of("dec", new DataType.Decimal(10, 2)),
                new Field("arr", new DataType.Array(DataType.Primitive.INT, false), true, mapping),
                Field.of("arr_of_struct", new DataType.Array(inner, true)),
                Field.of("nested_arr", new DataType.Array(new DataType.Array(DataType.Primitive.STRING, true), true)),
                Field.of("m", new DataType.MapType(DataType.Primitive.STRING, DataType.Primitive.BIGINT, false)),
                Field.of("m_struct", new DataType.MapType(DataType.Primitive.INT, inner, true)),
                new Field("st", new DataType.Struct(List.of(Field.of("x", inner), Field.of("y", DataType.Primitive.DATE))), true,
                        Map.of("delta.identity.start", "1", "delta.invariants", "{\"expression\":{\"expression\":\"x > 3\"}}",
                                "delta.generationExpression", "5"))));
    }

    @Test
    void roundTripsEveryTypeNestedWithMetadata() {
        Schema schema = everyType();
        String json = SchemaJson.toJson(schema);
        assertThat(SchemaJson.fromJson(json)).isEqualTo(schema);
        // Stable text: serialising the parsed schema gives the same JSON.
        assertThat(SchemaJson.toJson(SchemaJson.fromJson(json))).isEqualTo(json);
    }

    @Test
    void writesDeltaTypeNamesAndTypedMetadata() throws Exception {
        JsonNode root = JSON.readTree(SchemaJson.toJson(everyType()));
        assertThat(root.get("type").asText()).isEqualTo("struct");
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        root.get("fields").forEach(f -> byName.put(f.get("name").asText(), f));
        assertThat(byName.get("i8").get("type").asText()).isEqualTo("byte");
        assertThat(byName.get("i16").get("type").asText()).isEqualTo("short");
        assertThat(byName.get("i32").get("type").asText()).isEqualTo("integer");
        assertThat(byName.get("i32").get("nullable").asBoolean()).isFalse();
        assertThat(byName.get("i64").get("type").asText()).isEqualTo("long");
        assertThat(byName.get("ntz").get("type").asText()).isEqualTo("timestamp_ntz");
        assertThat(byName.get("dec").get("type").asText()).isEqualTo("decimal(10,2)");
        JsonNode arr = byName.get("arr");
        assertThat(arr.get("type").get("type").asText()).isEqualTo("array");
        assertThat(arr.get("type").get("containsNull").asBoolean()).isFalse();
        // column mapping id is a JSON number, physical name a string, a user comment stays a string
        assertThat(arr.get("metadata").get("delta.columnMapping.id").isInt()).isTrue();
        assertThat(arr.get("metadata").get("delta.columnMapping.physicalName").isTextual()).isTrue();
        assertThat(arr.get("metadata").get("comment").isTextual()).isTrue();
        JsonNode st = byName.get("st").get("metadata");
        assertThat(st.get("delta.identity.start").isNumber()).isTrue();
        assertThat(st.get("delta.invariants").isTextual()).isTrue();
        assertThat(st.get("delta.generationExpression").isTextual()).isTrue();
        JsonNode m = byName.get("m").get("type");
        assertThat(m.get("keyType").asText()).isEqualTo("string");
        assertThat(m.get("valueType").asText()).isEqualTo("long");
        assertThat(m.get("valueContainsNull").asBoolean()).isFalse();
    }

    @Test
    void readsSparkSpellings() {
        String json = "{\"type\":\"struct\",\"fields\":["
                + "{\"name\":\"legacy\",\"type\":\"decimal\",\"nullable\":true,\"metadata\":{}},"
                + "{\"name\":\"c\",\"type\":\"char(3)\",\"nullable\":true,\"metadata\":{\"__CHAR_VARCHAR_TYPE_STRING\":\"char(3)\"}},"
                + "{\"name\":\"v\",\"type\":\"varchar(10)\",\"nullable\":true,\"metadata\":{}},"
                + "{\"name\":\"nested\",\"type\":{\"type\":\"struct\",\"fields\":[{\"name\":\"a b\",\"type\":\"integer\",\"nullable\":false,"
                + "\"metadata\":{\"delta.columnMapping.id\":3,\"delta.columnMapping.nested.ids\":{\"a.element\":4}}}]},\"nullable\":true,\"metadata\":{}}]}";
        Schema s = SchemaJson.fromJson(json);
        assertThat(s.fields().get(0).type()).isEqualTo(new DataType.Decimal(10, 0));
        assertThat(s.fields().get(1).type()).isEqualTo(DataType.Primitive.STRING);
        assertThat(s.fields().get(1).metadata()).containsEntry("__CHAR_VARCHAR_TYPE_STRING", "char(3)");
        assertThat(s.fields().get(2).type()).isEqualTo(DataType.Primitive.STRING);
        Field ab = ((DataType.Struct) s.fields().get(3).type()).fields().get(0);
        assertThat(ab.name()).isEqualTo("a b");
        assertThat(ab.nullable()).isFalse();
        assertThat(ab.metadata()).containsEntry("delta.columnMapping.id", "3").containsEntry("delta.columnMapping.nested.ids", "{\"a.element\":4}");
        // and back: the nested ids stay a JSON object
        assertThat(SchemaJson.toJson(s)).contains("\"delta.columnMapping.nested.ids\":{\"a.element\":4}").contains("\"delta.columnMapping.id\":3");
    }

    @Test
    void refusesTypesKilnCannotHoldByName() {
        assertThatThrownBy(() -> SchemaJson.fromJson("{\"type\":\"struct\",\"fields\":[{\"name\":\"v\",\"type\":\"variant\",\"nullable\":true,\"metadata\":{}}]}"))
                .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("'v'").hasMessageContaining("variant");
        assertThatThrownBy(() -> SchemaJson.fromJson("{\"type\":\"struct\",\"fields\":[{\"name\":\"n\",\"type\":\"void\",\"nullable\":true,\"metadata\":{}}]}"))
                .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("void");
        assertThatThrownBy(() -> SchemaJson.fromJson("not json")).isInstanceOf(StorageException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> SchemaJson.fromJson("{\"type\":\"array\"}")).isInstanceOf(StorageException.class).hasMessageContaining("struct");
    }

    @Test
    void metadataParsesItsSchema() {
        Schema schema = Schema.parse("id BIGINT NOT NULL, name STRING");
        Metadata m = new Metadata("id-1", null, null, SchemaJson.toJson(schema), null, null, 1L);
        assertThat(m.schema()).isEqualTo(schema);
        assertThat(m.partitionColumns()).isEmpty();
        assertThat(m.configuration()).isEmpty();
        assertThat(m.columnMappingMode()).isEqualTo("none");
        assertThat(SchemaJson.usesTimestampNtz(schema)).isFalse();
        assertThat(SchemaJson.usesTimestampNtz(Schema.parse("t ARRAY<TIMESTAMP_NTZ>"))).isTrue();
        assertThat(Protocol.forNewTable(schema)).isEqualTo(Protocol.DEFAULT);
        Protocol ntz = Protocol.forNewTable(Schema.parse("s STRUCT<t: TIMESTAMP_NTZ>"));
        assertThat(ntz.minReaderVersion()).isEqualTo(3);
        assertThat(ntz.hasReaderFeature("timestampNtz")).isTrue();
        assertThat(ntz.hasWriterFeature("timestampNtz")).isTrue();
    }
}
