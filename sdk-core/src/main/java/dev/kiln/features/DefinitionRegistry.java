package dev.kiln.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.AlreadyExistsException;
import dev.kiln.StorageException;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.MergeSpec;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Feature table definitions as rows of the Delta table {@code system.feature_tables}: one row per feature
 * table, the definition as JSON. Every read goes to the table, so other processes' changes are seen.
 */
final class DefinitionRegistry {
    static final String SCHEMA = "system";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema COLUMNS = Schema.parse("name STRING NOT NULL, definition STRING NOT NULL, updated_at TIMESTAMP");

    private final Lakehouse lakehouse;

    DefinitionRegistry(Lakehouse lakehouse) {
        this.lakehouse = lakehouse;
    }

    private Table table(boolean create) {
        if (lakehouse.tableExists(FeatureStore.DEFINITIONS_TABLE)) {
            return lakehouse.table(FeatureStore.DEFINITIONS_TABLE);
        }
        if (!create) {
            return null;
        }
        lakehouse.createSchemaIfNotExists(SCHEMA);
        try {
            return lakehouse.createTable(TableDefinition.builder(FeatureStore.DEFINITIONS_TABLE).schema(COLUMNS)
                    .description("Kiln feature table definitions, one JSON document per feature table.").build());
        } catch (AlreadyExistsException raced) {
            return lakehouse.table(FeatureStore.DEFINITIONS_TABLE);
        }
    }

    List<FeatureTableDefinition> all() {
        Table table = table(false);
        List<FeatureTableDefinition> out = new ArrayList<>();
        if (table == null) {
            return out;
        }
        try (Rows rows = table.latest().scan().columns("definition").rows()) {
            while (rows.next()) {
                out.add(fromJson((String) rows.get(0)));
            }
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    Optional<FeatureTableDefinition> get(String name) {
        Table table = table(false);
        if (table == null) {
            return Optional.empty();
        }
        try (Rows rows = table.latest().scan().columns("definition").filter("name = " + SqlText.literal(name)).rows()) {
            return rows.next() ? Optional.of(fromJson((String) rows.get(0))) : Optional.empty();
        }
    }

    /** Inserts a definition; fails if one with the name exists (checked again after the commit). */
    void insert(FeatureTableDefinition definition) {
        Table table = table(true);
        if (get(definition.name()).isPresent()) {
            throw new AlreadyExistsException("Feature table '" + definition.name() + "' is already defined; drop it first.");
        }
        List<Object[]> row = new ArrayList<>();
        row.add(new Object[] {definition.name(), toJson(definition), Instant.now()});
        table.merge(MergeSpec.builder(WriteSource.values(row), "name").whenNotMatchedInsertAll().build());
    }

    void delete(String name) {
        Table table = table(false);
        if (table != null) {
            table.delete("name = " + SqlText.literal(name));
        }
    }

    static String toJson(FeatureTableDefinition d) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", d.name());
        node.putPOJO("primaryKeys", d.primaryKeys());
        node.put("timestampKey", d.timestampKey());
        if (d.createdColumn() != null) {
            node.put("createdColumn", d.createdColumn());
        }
        node.put("description", d.description());
        node.put("owner", d.owner());
        node.putPOJO("tags", new LinkedHashMap<>(d.tags()));
        node.putPOJO("featureDescriptions", new LinkedHashMap<>(d.featureDescriptions()));
        node.put("sourceQuery", d.sourceQuery());
        node.putPOJO("sourceVersions", new LinkedHashMap<>(d.sourceVersions()));
        if (d.createdAt() != null) {
            node.put("createdAt", d.createdAt().toString());
        }
        node.put("createdBy", d.createdBy());
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new StorageException("Cannot serialise the definition of " + d.name() + ": " + e.getMessage(), e);
        }
    }

    static FeatureTableDefinition fromJson(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            List<String> keys = new ArrayList<>();
            n.path("primaryKeys").forEach(k -> keys.add(k.asText()));
            return new FeatureTableDefinition(n.path("name").asText(), keys, n.path("timestampKey").asText(),
                    n.hasNonNull("createdColumn") ? n.get("createdColumn").asText() : null, n.path("description").asText(""),
                    n.path("owner").asText(""), strings(n.path("tags")), strings(n.path("featureDescriptions")),
                    n.path("sourceQuery").asText(""), longs(n.path("sourceVersions")),
                    n.hasNonNull("createdAt") ? Instant.parse(n.get("createdAt").asText()) : null, n.path("createdBy").asText(""));
        } catch (JsonProcessingException e) {
            throw new StorageException("A row of " + FeatureStore.DEFINITIONS_TABLE + " is not a valid definition: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static Map<String, Long> longs(JsonNode node) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.put(e.getKey(), e.getValue().asLong());
        }
        return out;
    }
}
