package dev.kiln.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.InvalidArgumentException;
import dev.kiln.NotFoundException;
import dev.kiln.StorageException;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Names;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/** A training set whose inputs are pinned to versions; its rows come from one DuckDB query. */
final class LakehouseTrainingSet implements TrainingSet {
    /** The table property holding the lineage of a materialised training set. */
    static final String LINEAGE_PROPERTY = "kiln.training_set.lineage";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Lakehouse lakehouse;
    private final TrainingSetSpec spec;
    private final String sql;
    private final String unorderedSql;
    private final TrainingSetLineage lineage;
    private final String scratch;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LakehouseTrainingSet(Lakehouse lakehouse, TrainingSetSpec spec, String unorderedSql, TrainingSetLineage lineage, String scratch) {
        this.lakehouse = lakehouse;
        this.spec = spec;
        this.unorderedSql = unorderedSql;
        this.sql = PitPlanner.ordered(unorderedSql);
        this.lineage = lineage;
        this.scratch = scratch;
    }

    static LakehouseTrainingSet build(LakehouseFeatureStore store, TrainingSetSpec spec) {
        Lakehouse lake = store.lakehouse();
        String scratch = null;
        String spineSql;
        String spineLabel;
        Map<String, Long> spineVersions = new LinkedHashMap<>();
        Spine spine = spec.spine();
        try {
            if (spine instanceof Spine.TableSpine t) {
                String name = Names.table(t.table()).toString();
                Table table = lake.table(name);
                long version = t.version() != null ? table.asOfVersion(t.version()).version() : table.latest().version();
                spineSql = "SELECT * FROM " + name + " VERSION AS OF " + version;
                spineLabel = "table:" + name;
                spineVersions.put(name, version);
            } else if (spine instanceof Spine.QuerySpine q) {
                SqlText.Pinned pinned = SqlText.pin(lake, q.sql());
                spineSql = pinned.sql();
                spineLabel = "query:" + q.sql();
                spineVersions.putAll(pinned.versions());
            } else {
                Spine.SourceSpine s = (Spine.SourceSpine) spine;
                lake.createSchemaIfNotExists(DefinitionRegistry.SCHEMA);
                scratch = DefinitionRegistry.SCHEMA + ".spine_" + UUID.randomUUID().toString().replace("-", "");
                Table table = lake.createTable(TableDefinition.builder(scratch).schema(s.schema())
                        .description("Scratch copy of a training-set spine; dropped when the training set is closed.").build());
                long version = table.append(s.source()).version();
                spineSql = "SELECT * FROM " + scratch + " VERSION AS OF " + version;
                spineLabel = "rows";
                spineVersions.put(scratch, version);
            }
            return plan(store, spec, spineSql, spineLabel, spineVersions, scratch);
        } catch (RuntimeException e) {
            if (scratch != null) {
                dropQuietly(lake, scratch);
            }
            throw e;
        }
    }

    private static LakehouseTrainingSet plan(LakehouseFeatureStore store, TrainingSetSpec spec, String spineSql, String spineLabel,
            Map<String, Long> spineVersions, String scratch) {
        Lakehouse lake = store.lakehouse();
        Schema spineSchema = SqlText.schemaOf(lake, spineSql);
        String time = spineSchema.field(spec.spine().timestampColumn()).map(Field::name).orElseThrow(() -> new InvalidArgumentException(
                "The spine has no event-time column '" + spec.spine().timestampColumn() + "' (columns: " + spineSchema.names() + ")."));
        if (!SqlText.isTime(spineSchema.field(time).orElseThrow().type())) {
            throw new InvalidArgumentException("Spine column '" + time + "' has type " + spineSchema.field(time).orElseThrow().type().sql()
                    + "; it must be TIMESTAMP, TIMESTAMP_NTZ (read as UTC) or DATE.");
        }
        List<String> spineOutput = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String ex : spec.exclude()) {
            if (spineSchema.field(ex).isEmpty()) {
                throw new InvalidArgumentException("Cannot exclude '" + ex + "': the spine has columns " + spineSchema.names() + ".");
            }
        }
        for (Field f : spineSchema.fields()) {
            if (f.name().startsWith("__kiln_")) {
                throw new InvalidArgumentException("Spine column '" + f.name() + "' uses the reserved prefix __kiln_; rename it.");
            }
            if (spec.exclude().stream().noneMatch(f.name()::equalsIgnoreCase)) {
                spineOutput.add(f.name());
                names.add(f.name().toLowerCase(Locale.ROOT));
            }
        }
        List<PitPlanner.Resolved> resolved = new ArrayList<>();
        List<TrainingSetLineage.TableVersion> versions = new ArrayList<>();
        List<String> outputColumns = new ArrayList<>(spineOutput);
        for (FeatureLookup lookup : spec.lookups()) {
            FeatureTable ft = store.resolve(lookup.table());
            FeatureTableDefinition d = ft.definition();
            Table table = ft.table();
            long version = lookup.version() != null ? table.asOfVersion(lookup.version()).version() : table.latest().version();
            Schema schema = table.asOfVersion(version).schema();
            List<String> available = LakehouseFeatureTable.features(d, schema.fields());
            List<String> features = new ArrayList<>();
            for (String f : lookup.features().isEmpty() ? available : lookup.features()) {
                String actual = available.stream().filter(f::equalsIgnoreCase).findFirst().orElseThrow(() -> new InvalidArgumentException(
                        "Feature '" + f + "' is not in feature table " + d.name() + " at version " + version + " (features: " + available + ")."));
                features.add(actual);
            }
            for (String renamed : lookup.renames().keySet()) {
                if (features.stream().noneMatch(renamed::equalsIgnoreCase)) {
                    throw new InvalidArgumentException("Rename of '" + renamed + "' in the lookup of " + d.name()
                            + ": it is not among the looked-up features " + features + ".");
                }
            }
            if (lookup.asKnownAtTheTime() && d.createdColumn() == null) {
                throw new InvalidArgumentException("Lookup of " + d.name() + " asks for \"as known at the time\", but the feature table has "
                        + "no created-time column; declare one with createdColumn(..) or drop asKnownAtTheTime().");
            }
            List<String> spineKeys = new ArrayList<>();
            for (String key : d.primaryKeys()) {
                String column = lookup.keyMapping().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key))
                        .map(Map.Entry::getValue).findFirst().orElse(key);
                spineKeys.add(spineSchema.field(column).map(Field::name).orElseThrow(() -> new InvalidArgumentException(
                        "The spine has no column '" + column + "' for key '" + key + "' of feature table " + d.name() + " (spine columns: "
                                + spineSchema.names() + "); map it with mapKey(\"" + key + "\", \"<spine column>\").")));
            }
            for (String mapped : lookup.keyMapping().keySet()) {
                if (d.primaryKeys().stream().noneMatch(mapped::equalsIgnoreCase)) {
                    throw new InvalidArgumentException("mapKey(\"" + mapped + "\", ..) in the lookup of " + d.name()
                            + ": it is not a primary key of the feature table " + d.primaryKeys() + ".");
                }
            }
            List<String> outputs = new ArrayList<>();
            for (String f : features) {
                String out = lookup.renames().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(f)).map(Map.Entry::getValue)
                        .findFirst().orElse(f);
                if (!names.add(out.toLowerCase(Locale.ROOT)) || out.startsWith("__kiln_")) {
                    throw new InvalidArgumentException("Training set column '" + out + "' (feature '" + f + "' of " + d.name()
                            + ") clashes with another column; rename it with rename(\"" + f + "\", \"<new name>\") or exclude the spine column.");
                }
                outputs.add(out);
            }
            outputColumns.addAll(outputs);
            boolean unique = !lookup.asKnownAtTheTime() && store.uniqueKeys(d, version, table);
            resolved.add(new PitPlanner.Resolved(lookup, d, d.name() + " VERSION AS OF " + version, schema, features, outputs, spineKeys,
                    unique));
            versions.add(new TrainingSetLineage.TableVersion(d.name(), version));
        }
        String sql = PitPlanner.plan(spineSql, spineSchema, time, spineOutput, resolved);
        Map<String, String> options = new LinkedHashMap<>();
        options.put("spineTimestamp", time);
        options.put("timeZone", "UTC");
        options.put("comparison", "e <= t, lookback t - L <= e, as-known created <= t");
        options.put("tieBreak", "greatest event time, then greatest created time (NULL lowest), then greatest feature values (NULL lowest)");
        TrainingSetLineage lineage = new TrainingSetLineage(spineLabel, spineVersions, versions, spec.lookups(), outputColumns, options,
                Instant.now());
        return new LakehouseTrainingSet(lake, spec, sql, lineage, scratch);
    }

    @Override
    public TrainingSetSpec spec() {
        return spec;
    }

    @Override
    public TrainingSetLineage lineage() {
        return lineage;
    }

    @Override
    public String sql() {
        return sql;
    }

    @Override
    public String unorderedSql() {
        return unorderedSql;
    }

    @Override
    public Rows rows() {
        return lakehouse.sql(sql);
    }

    @Override
    public Table writeTo(String name) {
        String checked = Names.table(name).toString();
        if (lakehouse.tableExists(checked)) {
            Table table = lakehouse.table(checked);
            table.overwrite(WriteSource.query(sql));
            return table;
        }
        Schema schema = SqlText.schemaOf(lakehouse, sql);
        Table table = lakehouse.createTable(TableDefinition.builder(checked).schema(schema)
                .description("Training set built by Kiln from " + lineage.spine() + " and " + lineage.featureTables())
                .property(LINEAGE_PROPERTY, lineageJson(lineage)).build());
        table.append(WriteSource.query(sql));
        return table;
    }

    static String lineageJson(TrainingSetLineage lineage) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("spine", lineage.spine());
        root.put("spineVersions", lineage.spineVersions());
        List<Map<String, Object>> tables = new ArrayList<>();
        for (TrainingSetLineage.TableVersion tv : lineage.featureTables()) {
            tables.add(Map.of("table", tv.table(), "version", tv.version()));
        }
        root.put("featureTables", tables);
        List<Map<String, Object>> lookups = new ArrayList<>();
        for (FeatureLookup l : lineage.lookups()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", l.table());
            m.put("features", l.features());
            m.put("renames", l.renames());
            m.put("keyMapping", l.keyMapping());
            m.put("lookback", l.lookback() instanceof Lookback.Window w ? w.duration().toString()
                    : l.lookback() instanceof Lookback.ExactMatch ? "exact" : "unbounded");
            m.put("asKnownAtTheTime", l.asKnownAtTheTime());
            if (l.version() != null) {
                m.put("version", l.version());
            }
            lookups.add(m);
        }
        root.put("lookups", lookups);
        root.put("outputColumns", lineage.outputColumns());
        root.put("options", lineage.options());
        root.put("builtAt", lineage.builtAt().toString());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new StorageException("Cannot serialise training-set lineage: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && scratch != null) {
            dropQuietly(lakehouse, scratch);
        }
    }

    private static void dropQuietly(Lakehouse lake, String table) {
        try {
            lake.dropTable(table);
        } catch (NotFoundException ignored) {
            // already gone
        }
    }

    @Override
    public String toString() {
        return "TrainingSet[" + lineage.spine() + " + " + lineage.featureTables() + "]";
    }
}
