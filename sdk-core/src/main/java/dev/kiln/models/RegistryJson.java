package dev.kiln.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.StorageException;
import dev.kiln.predict.Signature;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON columns of the registry tables: signatures, lineage, tags and input examples. */
final class RegistryJson {
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private RegistryJson() {
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StorageException("Cannot write registry JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Signature signature(String json) {
        return read(json, Signature.class);
    }

    static TrainingLineage lineage(String json) {
        return json == null || json.isEmpty() ? TrainingLineage.NONE : read(json, TrainingLineage.class);
    }

    static Map<String, String> stringMap(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new StorageException("Unreadable registry JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> objectMap(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new StorageException("Unreadable registry JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StorageException("Unreadable registry JSON for " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
