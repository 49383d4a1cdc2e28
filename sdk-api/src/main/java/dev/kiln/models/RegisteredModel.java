package dev.kiln.models;

import dev.kiln.Principal;
import java.time.Instant;
import java.util.Map;

/**
 * A registered model: a name under which immutable versions are kept, with aliases pointing at
 * some of them.
 *
 * @param id a stable identifier that survives a rename
 * @param name the current name
 * @param description the description, or empty
 * @param tags the tags
 * @param aliases alias to version number
 * @param latestVersion the highest version number, or 0 if it has no version yet
 * @param creator who created it
 * @param createdAt when it was created
 * @param updatedAt when it or one of its versions last changed
 */
public record RegisteredModel(String id, String name, String description, Map<String, String> tags, Map<String, Long> aliases,
        long latestVersion, Principal creator, Instant createdAt, Instant updatedAt) {
    /**
     * Copies the maps.
     *
     * @param id the id
     * @param name the name
     * @param description the description
     * @param tags the tags
     * @param aliases the aliases
     * @param latestVersion the latest version
     * @param creator the creator
     * @param createdAt the creation time
     * @param updatedAt the last change
     */
    public RegisteredModel {
        description = description == null ? "" : description;
        tags = Map.copyOf(tags);
        aliases = Map.copyOf(aliases);
    }
}
