package dev.kiln.spi;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a backend is given when a workspace opens.
 *
 * @param root the workspace folder
 * @param properties workspace options
 * @param relations resolves lakehouse table names in SQL to snapshots
 */
public record StorageContext(Path root, Map<String, String> properties, RelationResolver relations) {
    /**
     * Copies the options.
     *
     * @param root the workspace folder
     * @param properties workspace options
     * @param relations the resolver
     */
    public StorageContext {
        properties = Map.copyOf(properties);
    }
}
