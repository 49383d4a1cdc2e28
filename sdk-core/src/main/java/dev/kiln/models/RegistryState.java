package dev.kiln.models;

import dev.kiln.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The registry as of one version of its event and version tables: replayed from event rows in
 * (time, event id) order, so the latest event wins in every process alike.
 */
final class RegistryState {

    /** One row of {@code system.model_events}. */
    record Event(Instant time, String eventId, String modelId, String modelName, String action, Long version, String key,
            String value, String principal) {
    }

    /** One row of {@code system.model_versions}, before mutable facts are applied. */
    record VersionRow(Instant time, String modelId, String modelName, long version, String source, String runId, String artifact,
            String signature, String inputExample, String description, String tags, String creator, String lineage) {
    }

    /** A registered model as replayed. */
    static final class Model {
        final String id;
        String name;
        String description = "";
        final Map<String, String> tags = new TreeMap<>();
        final Map<String, Long> aliases = new TreeMap<>();
        final Principal creator;
        final Instant createdAt;
        Instant updatedAt;
        boolean deleted;
        final TreeMap<Long, VersionRow> versions = new TreeMap<>();
        final Map<Long, String> versionDescriptions = new HashMap<>();
        final Map<Long, Map<String, String>> versionTags = new HashMap<>();

        Model(String id, String name, Principal creator, Instant createdAt) {
            this.id = id;
            this.name = name;
            this.creator = creator;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }

        long latestVersion() {
            return versions.isEmpty() ? 0 : versions.lastKey();
        }

        List<String> aliasesOf(long version) {
            List<String> out = new ArrayList<>();
            aliases.forEach((a, v) -> {
                if (v == version) {
                    out.add(a);
                }
            });
            return out;
        }
    }

    final long eventsVersion;
    final long versionsVersion;
    final Map<String, Model> byId = new LinkedHashMap<>();
    final Map<String, Model> byName = new TreeMap<>();
    /** Claim keys that a CREATE or RENAME event made good. */
    final Set<String> usedClaims = new HashSet<>();

    /** The rows this state was replayed from, kept so that a process's own append can be applied without a re-read. */
    final List<Event> events;
    final List<VersionRow> versionRows;

    RegistryState(long eventsVersion, long versionsVersion, List<Event> events, List<VersionRow> versionRows) {
        this.eventsVersion = eventsVersion;
        this.versionsVersion = versionsVersion;
        this.events = List.copyOf(events);
        this.versionRows = List.copyOf(versionRows);
        List<Event> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparing(Event::time).thenComparing(Event::eventId));
        for (Event e : ordered) {
            apply(e);
        }
        for (VersionRow v : versionRows) {
            Model m = byId.get(v.modelId());
            if (m != null) {
                m.versions.putIfAbsent(v.version(), v);
                if (v.time().isAfter(m.updatedAt)) {
                    m.updatedAt = v.time();
                }
            }
        }
        for (Model m : byId.values()) {
            if (!m.deleted) {
                byName.put(m.name, m);
            }
        }
    }

    /**
     * Returns the state after one more commit of the event table holding exactly these rows.
     *
     * @param commitVersion the version that commit created
     * @param added its rows
     * @return the new state
     */
    RegistryState withEvents(long commitVersion, List<Event> added) {
        List<Event> all = new ArrayList<>(events);
        all.addAll(added);
        return new RegistryState(commitVersion, versionsVersion, all, versionRows);
    }

    private void apply(Event e) {
        if (e.action().equals("CREATE")) {
            Model m = new Model(e.modelId(), e.modelName(), Principal.of(e.principal()), e.time());
            m.description = e.value() == null ? "" : e.value();
            byId.put(e.modelId(), m);
            if (e.key() != null) {
                usedClaims.add(e.key());
            }
            return;
        }
        Model m = byId.get(e.modelId());
        if (m == null) {
            return;
        }
        m.updatedAt = e.time();
        switch (e.action()) {
            case "RENAME" -> {
                m.name = e.modelName();
                if (e.key() != null) {
                    usedClaims.add(e.key());
                }
            }
            case "DELETE" -> m.deleted = true;
            case "DESCRIBE" -> m.description = e.value() == null ? "" : e.value();
            case "TAG_SET" -> m.tags.put(e.key(), e.value());
            case "TAG_DELETE" -> m.tags.remove(e.key());
            case "ALIAS_SET" -> m.aliases.put(e.key(), e.version());
            case "ALIAS_DELETE" -> m.aliases.remove(e.key());
            case "VERSION_DESCRIBE" -> m.versionDescriptions.put(e.version(), e.value() == null ? "" : e.value());
            case "VERSION_TAG_SET" -> m.versionTags.computeIfAbsent(e.version(), v -> new TreeMap<>()).put(e.key(), e.value());
            case "VERSION_TAG_DELETE" -> m.versionTags.computeIfAbsent(e.version(), v -> new TreeMap<>()).put(e.key(), null); // tombstone
            default -> {
                // written by a newer Kiln: ignored
            }
        }
    }
}
