package dev.kiln.features;

import dev.kiln.AlreadyExistsException;
import dev.kiln.InvalidArgumentException;
import dev.kiln.KilnException;
import dev.kiln.NotFoundException;
import dev.kiln.Principal;
import dev.kiln.governance.Governance;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Names;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The feature store, on top of the lakehouse API only. Under a workspace's governance, creating a
 * feature table takes CREATE on its schema (on the catalog if the schema is new), appending and
 * merging MODIFY, declaring a table a feature table and dropping one MANAGE, building a training set
 * and publishing to an online store READ on each feature table; each is audited under the feature
 * table's name (writes also leave the lakehouse table's own row). Online-store lookups and writes
 * are in memory and not audited.
 */
final class LakehouseFeatureStore implements FeatureStore {
    private final Lakehouse lakehouse;
    private final Principal principal;
    private final DefinitionRegistry registry;
    private final FeatureAccess access;
    /** Whether (keys, event time) is unique in a feature table version: versions are immutable, so this never goes stale. */
    private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> uniqueAtVersion =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(4096).build();

    LakehouseFeatureStore(Lakehouse lakehouse, Principal principal, Governance governance) {
        this.lakehouse = lakehouse;
        this.principal = principal;
        this.access = new FeatureAccess(governance);
        this.registry = new DefinitionRegistry(lakehouse);
    }

    Lakehouse lakehouse() {
        return lakehouse;
    }

    private FeatureTable open(FeatureTableDefinition definition, Table table) {
        return new LakehouseFeatureTable(definition, table, access);
    }

    /** A new feature table needs CREATE where its lakehouse table will be made: the schema, or the catalog for a new schema. */
    private void checkCreate(FeatureTableDefinition d) {
        String schema = Names.table(d.name()).schema();
        access.check(Privilege.CREATE, lakehouse.schemas().contains(schema) ? Securable.schema(schema) : Securable.CATALOG,
                "feature_table.create", Map.of("featureTable", d.name()));
    }

    private FeatureTable created(FeatureTableDefinition recorded, Table table) {
        access.allowed("feature_table.create", recorded.name(), Map.of("version", String.valueOf(table.latest().version()),
                "source", recorded.sourceQuery().isEmpty() ? "rows" : recorded.sourceQuery()));
        return open(recorded, table);
    }

    private static FeatureTableDefinition normalised(FeatureTableDefinition d) {
        String name = Names.table(d.name()).toString();
        return new FeatureTableDefinition(name, d.primaryKeys(), d.timestampKey(), d.createdColumn(), d.description(), d.owner(),
                d.tags(), d.featureDescriptions(), d.sourceQuery(), d.sourceVersions(), d.createdAt(), d.createdBy());
    }

    private void requireNew(FeatureTableDefinition d) {
        if (registry.get(d.name()).isPresent()) {
            throw new AlreadyExistsException("Feature table '" + d.name() + "' is already defined; drop it first or choose another name.");
        }
        if (lakehouse.tableExists(d.name())) {
            throw new AlreadyExistsException("Table '" + d.name() + "' already exists; declare it a feature table with register(..) "
                    + "or choose another name.");
        }
    }

    /** Checks the definition's columns against a schema; returns it with column names as the table spells them. */
    static FeatureTableDefinition validate(FeatureTableDefinition d, Schema schema) {
        List<String> keys = new ArrayList<>();
        for (String key : d.primaryKeys()) {
            keys.add(column(d, schema, key, "primary key").name());
        }
        Field ts = column(d, schema, d.timestampKey(), "event-time");
        if (!SqlText.isTime(ts.type())) {
            throw new InvalidArgumentException("Event-time column '" + ts.name() + "' of feature table " + d.name() + " has type "
                    + ts.type().sql() + "; it must be TIMESTAMP, TIMESTAMP_NTZ (read as UTC) or DATE.");
        }
        String created = null;
        if (d.createdColumn() != null) {
            Field c = column(d, schema, d.createdColumn(), "created-time");
            if (!SqlText.isTime(c.type())) {
                throw new InvalidArgumentException("Created-time column '" + c.name() + "' of feature table " + d.name() + " has type "
                        + c.type().sql() + "; it must be TIMESTAMP, TIMESTAMP_NTZ (read as UTC) or DATE.");
            }
            created = c.name();
        }
        FeatureTableDefinition out = new FeatureTableDefinition(d.name(), keys, ts.name(), created, d.description(), d.owner(), d.tags(),
                d.featureDescriptions(), d.sourceQuery(), d.sourceVersions(), d.createdAt(), d.createdBy());
        List<String> features = LakehouseFeatureTable.features(out, schema.fields());
        if (features.isEmpty()) {
            throw new InvalidArgumentException("Feature table " + d.name() + " has no feature column: every column " + schema.names()
                    + " is a key or a time column.");
        }
        for (String feature : d.featureDescriptions().keySet()) {
            if (features.stream().noneMatch(feature::equalsIgnoreCase)) {
                throw new InvalidArgumentException("Feature description given for '" + feature + "', which is not a feature of " + d.name()
                        + " (features: " + features + ").");
            }
        }
        return out;
    }

    private static Field column(FeatureTableDefinition d, Schema schema, String name, String role) {
        return schema.field(name).orElseThrow(() -> new InvalidArgumentException("The " + role + " column '" + name
                + "' of feature table " + d.name() + " is not among its columns " + schema.names() + "."));
    }

    @Override
    public FeatureTable createTable(FeatureTableDefinition definition, String sql) {
        FeatureTableDefinition d = normalised(definition);
        requireNew(d);
        checkCreate(d);
        if (sql == null || sql.isBlank()) {
            throw new InvalidArgumentException("Feature table " + d.name() + " needs a source query.");
        }
        SqlText.Pinned pinned = SqlText.pin(lakehouse, sql);
        Schema schema = SqlText.schemaOf(lakehouse, pinned.sql());
        FeatureTableDefinition checked = validate(d, schema);
        Table table = createLakehouseTable(checked, schema);
        try {
            table.append(WriteSource.query(pinned.sql()));
            FeatureTableDefinition recorded = checked.recorded(sql, pinned.versions(), Instant.now(), principal.name());
            registry.insert(recorded);
            return created(recorded, table);
        } catch (RuntimeException e) {
            lakehouse.dropTable(d.name());
            if (e instanceof KilnException k) {
                access.failed("feature_table.create", d.name(), k);
            }
            throw e;
        }
    }

    @Override
    public FeatureTable createTable(FeatureTableDefinition definition, Schema schema, WriteSource source) {
        FeatureTableDefinition d = normalised(definition);
        requireNew(d);
        checkCreate(d);
        FeatureTableDefinition checked = validate(d, schema);
        Table table = createLakehouseTable(checked, schema);
        try {
            if (source != null) {
                table.append(source);
            }
            FeatureTableDefinition recorded = checked.recorded("", Map.of(), Instant.now(), principal.name());
            registry.insert(recorded);
            return created(recorded, table);
        } catch (RuntimeException e) {
            lakehouse.dropTable(d.name());
            if (e instanceof KilnException k) {
                access.failed("feature_table.create", d.name(), k);
            }
            throw e;
        }
    }

    private Table createLakehouseTable(FeatureTableDefinition d, Schema schema) {
        lakehouse.createSchemaIfNotExists(Names.table(d.name()).schema());
        return lakehouse.createTable(TableDefinition.builder(d.name()).schema(schema).description(d.description())
                .property("kiln.feature_table", "true").build());
    }

    @Override
    public FeatureTable register(FeatureTableDefinition definition) {
        FeatureTableDefinition d = normalised(definition);
        if (registry.get(d.name()).isPresent()) {
            throw new AlreadyExistsException("Feature table '" + d.name() + "' is already defined.");
        }
        Table table = lakehouse.table(d.name());
        access.check(Privilege.MANAGE, d.name(), "feature_table.register");
        FeatureTableDefinition checked = validate(d, table.latest().schema());
        FeatureTableDefinition recorded = checked.recorded("", Map.of(), Instant.now(), principal.name());
        registry.insert(recorded);
        access.allowed("feature_table.register", d.name(), Map.of("version", String.valueOf(table.latest().version())));
        return open(recorded, table);
    }

    @Override
    public FeatureTable table(String name) {
        return find(name).orElseThrow(() -> new NotFoundException("No feature table '" + name + "'; list them with list(), or declare a "
                + "lakehouse table one with register(..)."));
    }

    @Override
    public Optional<FeatureTable> find(String name) {
        String checked = Names.table(name).toString();
        return registry.get(checked).map(d -> {
            if (!lakehouse.tableExists(d.name())) {
                throw new NotFoundException("Feature table '" + d.name() + "' is defined but its lakehouse table is gone; drop the "
                        + "definition with drop(\"" + d.name() + "\", false).");
            }
            return open(d, lakehouse.table(d.name()));
        });
    }

    @Override
    public List<FeatureTableDefinition> list() {
        return registry.all();
    }

    @Override
    public List<FeatureTableDefinition> search(String text) {
        String needle = text == null ? "" : text.toLowerCase(Locale.ROOT);
        int eq = needle.indexOf('=');
        List<FeatureTableDefinition> out = new ArrayList<>();
        for (FeatureTableDefinition d : registry.all()) {
            boolean hit;
            if (eq > 0) {
                String key = needle.substring(0, eq);
                String value = needle.substring(eq + 1);
                hit = d.tags().entrySet().stream().anyMatch(t -> t.getKey().equalsIgnoreCase(key) && t.getValue().equalsIgnoreCase(value));
            } else {
                hit = d.name().toLowerCase(Locale.ROOT).contains(needle)
                        || d.description().toLowerCase(Locale.ROOT).contains(needle)
                        || d.tags().keySet().stream().anyMatch(needle::equalsIgnoreCase)
                        || d.tags().values().stream().anyMatch(needle::equalsIgnoreCase)
                        || d.featureDescriptions().keySet().stream().anyMatch(f -> f.toLowerCase(Locale.ROOT).contains(needle))
                        || (lakehouse.tableExists(d.name()) && LakehouseFeatureTable.features(d, lakehouse.table(d.name()).latest()
                                .schema().fields()).stream().anyMatch(f -> f.toLowerCase(Locale.ROOT).contains(needle)));
            }
            if (hit) {
                out.add(d);
            }
        }
        return out;
    }

    @Override
    public void drop(String name, boolean dropData) {
        String checked = Names.table(name).toString();
        if (registry.get(checked).isEmpty()) {
            throw new NotFoundException("No feature table '" + checked + "' to drop.");
        }
        access.check(Privilege.MANAGE, checked, "feature_table.drop");
        registry.delete(checked);
        if (dropData && lakehouse.tableExists(checked)) {
            lakehouse.dropTable(checked);
        }
        access.allowed("feature_table.drop", checked, Map.of("dropData", String.valueOf(dropData)));
    }

    @Override
    public TrainingSet trainingSet(TrainingSetSpec spec) {
        // every feature table is checked before anything is read or a scratch spine written
        for (FeatureLookup lookup : spec.lookups()) {
            access.check(Privilege.READ, Names.table(lookup.table()).toString(), "training_set.create");
        }
        LakehouseTrainingSet set = LakehouseTrainingSet.build(this, spec);
        for (TrainingSetLineage.TableVersion read : set.lineage().featureTables()) {
            access.allowed("training_set.create", read.table(), Map.of("version", String.valueOf(read.version()),
                    "spine", set.lineage().spine()));
        }
        return set;
    }

    /**
     * Tells whether a feature table version has at most one row per (keys, event time); a join over such a
     * version needs no de-duplication. Computed once per table version.
     */
    boolean uniqueKeys(FeatureTableDefinition d, long version, Table table) {
        String id = d.name() + "@" + version + "#" + table.location();
        return uniqueAtVersion.get(id, k -> {
            String keys = SqlText.list(d.reservedColumns().subList(0, d.primaryKeys().size() + 1), "");
            try (dev.kiln.lakehouse.Rows rows = lakehouse.sql("SELECT count(*) FROM (SELECT " + keys + " FROM " + d.name()
                    + " VERSION AS OF " + version + " GROUP BY " + keys + " HAVING count(*) > 1) AS dups")) {
                rows.next();
                return ((Number) rows.get(0)).longValue() == 0;
            }
        });
    }

    FeatureTable resolve(String name) {
        return table(name);
    }

    @Override
    public OnlineStore onlineStore(String table, OnlineStoreOptions options) {
        FeatureTable feature = table(table);
        access.check(Privilege.READ, feature.name(), "feature_table.publish");
        OnlineStore online = InMemoryOnlineStore.open(lakehouse, feature, options == null ? OnlineStoreOptions.DEFAULTS : options);
        access.allowed("feature_table.publish", feature.name(), Map.of("version", String.valueOf(online.version()),
                "keys", String.valueOf(online.size())));
        return online;
    }
}
