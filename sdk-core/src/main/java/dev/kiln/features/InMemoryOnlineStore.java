package dev.kiln.features;

import dev.kiln.InvalidArgumentException;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest vector per key in a {@link ConcurrentHashMap}. Each vector is immutable and replaced whole
 * with {@code compute}, so a reader sees one version per key; a replacement applies only if newer by
 * (event time, created time, table version).
 */
final class InMemoryOnlineStore implements OnlineStore {
    private final Lakehouse lakehouse;
    private final FeatureTable table;
    private final FeatureTableDefinition definition;
    private final OnlineStoreOptions options;
    private final List<String> features;
    private final List<String> keys;
    private final long staleMillis;
    private final ConcurrentHashMap<Object, Entry> map = new ConcurrentHashMap<>();
    private final Object refreshLock = new Object();
    private volatile long version = -1;

    /** A held vector and what orders it against a newer write. */
    record Entry(FeatureVector vector, long eventMicros, long createdMicros, long version) {
    }

    private InMemoryOnlineStore(Lakehouse lakehouse, FeatureTable table, OnlineStoreOptions options, List<String> features) {
        this.lakehouse = lakehouse;
        this.table = table;
        this.definition = table.definition();
        this.options = options;
        this.features = List.copyOf(features);
        this.keys = definition.primaryKeys();
        this.staleMillis = options.staleAfter() == null ? Long.MAX_VALUE : options.staleAfter().toMillis();
    }

    static InMemoryOnlineStore open(Lakehouse lakehouse, FeatureTable table, OnlineStoreOptions options) {
        List<String> available = table.features();
        List<String> features = new ArrayList<>();
        for (String f : options.features().isEmpty() ? available : options.features()) {
            features.add(available.stream().filter(f::equalsIgnoreCase).findFirst().orElseThrow(() -> new InvalidArgumentException(
                    "Feature '" + f + "' is not in feature table " + table.name() + " (features: " + available + ").")));
        }
        InMemoryOnlineStore store = new InMemoryOnlineStore(lakehouse, table, options, features);
        store.refresh();
        return store;
    }

    @Override
    public String table() {
        return definition.name();
    }

    @Override
    public List<String> features() {
        return features;
    }

    @Override
    public List<String> keys() {
        return keys;
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public Optional<FeatureVector> get(Object... key) {
        if (key.length != keys.size()) {
            throw new InvalidArgumentException("Feature table " + definition.name() + " has key " + keys + "; got " + key.length + " value(s).");
        }
        Entry e = map.get(key.length == 1 ? normalise(key[0]) : compositeKey(key));
        if (e == null) {
            return Optional.empty();
        }
        FeatureVector v = e.vector();
        if (staleMillis != Long.MAX_VALUE && options.clock().millis() - e.eventMicros() / 1000 > staleMillis) {
            return Optional.of(new FeatureVector(v.names(), v.values(), v.eventTime(), v.tableVersion(), true));
        }
        return Optional.of(v);
    }

    @Override
    public Optional<FeatureVector> get(Map<String, ?> key) {
        Object[] values = new Object[keys.size()];
        for (int i = 0; i < values.length; i++) {
            if (!key.containsKey(keys.get(i))) {
                throw new InvalidArgumentException("Key column '" + keys.get(i) + "' of " + definition.name() + " is missing from " + key.keySet());
            }
            values[i] = key.get(keys.get(i));
        }
        return get(values);
    }

    private static Object compositeKey(Object[] key) {
        Object[] copy = new Object[key.length];
        for (int i = 0; i < key.length; i++) {
            copy[i] = normalise(key[i]);
        }
        return Arrays.asList(copy);
    }

    /** Integral numbers of any width compare equal; everything else as given. */
    static Object normalise(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        return value;
    }

    static long micros(Object time) {
        if (time == null) {
            return Long.MIN_VALUE;
        }
        if (time instanceof Instant i) {
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
        }
        if (time instanceof LocalDateTime t) {
            return micros(t.toInstant(ZoneOffset.UTC));
        }
        if (time instanceof LocalDate d) {
            return micros(d.atStartOfDay(ZoneOffset.UTC).toInstant());
        }
        if (time instanceof java.time.OffsetDateTime o) {
            return micros(o.toInstant());
        }
        throw new InvalidArgumentException("Not a time value: " + time.getClass().getSimpleName() + " " + time);
    }

    /** Applies an entry unless the store holds a newer one. */
    private boolean apply(Object key, Entry incoming) {
        boolean[] applied = {false};
        map.compute(key, (k, held) -> {
            if (held == null || newer(incoming, held)) {
                applied[0] = true;
                return incoming;
            }
            return held;
        });
        return applied[0];
    }

    static boolean newer(Entry a, Entry b) {
        if (a.eventMicros() != b.eventMicros()) {
            return a.eventMicros() > b.eventMicros();
        }
        if (a.createdMicros() != b.createdMicros()) {
            return a.createdMicros() > b.createdMicros();
        }
        // same event and created time: a newer table version that changed the values in place (a merge) wins
        return a.version() >= 0 && a.version() > b.version() && !Arrays.equals(a.vector().values(), b.vector().values());
    }

    @Override
    public boolean write(Map<String, ?> row) {
        Object[] key = new Object[keys.size()];
        for (int i = 0; i < key.length; i++) {
            if (!row.containsKey(keys.get(i))) {
                throw new InvalidArgumentException("Key column '" + keys.get(i) + "' is missing from the row written to " + definition.name());
            }
            key[i] = row.get(keys.get(i));
        }
        Object e = row.get(definition.timestampKey());
        if (e == null) {
            throw new InvalidArgumentException("Event-time column '" + definition.timestampKey() + "' is missing from the row written to "
                    + definition.name());
        }
        Object c = definition.createdColumn() == null ? null : row.get(definition.createdColumn());
        Object[] values = new Object[features.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(features.get(i));
        }
        long em = micros(e);
        Entry entry = new Entry(new FeatureVector(features, values, instant(em), -1, false), em, micros(c), -1);
        return apply(key.length == 1 ? normalise(key[0]) : compositeKey(key), entry);
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    @Override
    public long refresh() {
        synchronized (refreshLock) {
            Table t = table.table();
            long latest = t.latest().version();
            long from = version;
            if (latest == from) {
                return 0;
            }
            String name = definition.name();
            String current = name + " VERSION AS OF " + latest;
            StringBuilder on = new StringBuilder();
            for (String key : keys) {
                on.append(on.isEmpty() ? "" : " AND ").append("c.").append(SqlText.quote(key)).append(" = d.").append(SqlText.quote(key));
            }
            // only keys with a row that is new or changed since the version held
            String rows = from < 0 ? current
                    : "(SELECT c.* FROM " + current + " AS c SEMI JOIN (SELECT DISTINCT " + SqlText.list(keys, "") + " FROM (SELECT * FROM "
                    + current + " EXCEPT ALL SELECT * FROM " + name + " VERSION AS OF " + from + ") AS x) AS d ON " + on + ")";
            long changed = load(rows, latest, t.asOfVersion(latest).schema());
            if (from >= 0) {
                changed += removeDeleted(current, name + " VERSION AS OF " + from);
            }
            version = latest;
            return changed;
        }
    }

    /** Loads the latest row per key of a relation: greatest event time, then created time, then values. */
    private long load(String relation, long tableVersion, Schema schema) {
        StringBuilder order = new StringBuilder(SqlText.utc(SqlText.quote(definition.timestampKey()),
                schema.field(definition.timestampKey()).orElseThrow().type(), "Event-time column")).append(" DESC");
        if (definition.createdColumn() != null) {
            order.append(", ").append(SqlText.utc(SqlText.quote(definition.createdColumn()),
                    schema.field(definition.createdColumn()).orElseThrow().type(), "Created-time column")).append(" DESC NULLS LAST");
        }
        for (String f : LakehouseFeatureTable.features(definition, schema.fields())) {
            if (SqlText.orderable(schema.field(f).orElseThrow().type())) {
                order.append(", ").append(SqlText.quote(f)).append(" DESC NULLS LAST");
            }
        }
        String select = "SELECT " + SqlText.list(keys, "") + ", " + SqlText.quote(definition.timestampKey()) + ", "
                + (definition.createdColumn() == null ? "NULL" : SqlText.quote(definition.createdColumn()))
                + (features.isEmpty() ? "" : ", " + SqlText.list(features, "")) + " FROM " + relation + " AS r WHERE "
                + SqlText.quote(definition.timestampKey()) + " IS NOT NULL QUALIFY row_number() OVER (PARTITION BY "
                + SqlText.list(keys, "") + " ORDER BY " + order + ") = 1";
        long changed = 0;
        int k = keys.size();
        try (Rows rows = lakehouse.sql(select)) {
            while (rows.next()) {
                Object key;
                if (k == 1) {
                    key = normalise(rows.get(0));
                } else {
                    Object[] parts = new Object[k];
                    for (int i = 0; i < k; i++) {
                        parts[i] = rows.get(i);
                    }
                    key = compositeKey(parts);
                }
                long em = micros(rows.get(k));
                long cm = micros(rows.get(k + 1));
                Object[] values = new Object[features.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rows.get(k + 2 + i);
                }
                if (apply(key, new Entry(new FeatureVector(features, values, instant(em), tableVersion, false), em, cm, tableVersion))) {
                    changed++;
                }
            }
        }
        return changed;
    }

    private long removeDeleted(String current, String previous) {
        String select = "SELECT DISTINCT " + SqlText.list(keys, "") + " FROM " + previous + " AS p EXCEPT SELECT DISTINCT "
                + SqlText.list(keys, "") + " FROM " + current + " AS c";
        long removed = 0;
        int k = keys.size();
        try (Rows rows = lakehouse.sql(select)) {
            while (rows.next()) {
                Object key;
                if (k == 1) {
                    key = normalise(rows.get(0));
                } else {
                    Object[] parts = new Object[k];
                    for (int i = 0; i < k; i++) {
                        parts[i] = rows.get(i);
                    }
                    key = compositeKey(parts);
                }
                Entry held = map.get(key);
                if (held != null && held.version() >= 0 && map.remove(key, held)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    @Override
    public void close() {
        map.clear();
    }

    @Override
    public String toString() {
        return "OnlineStore[" + definition.name() + "@" + version + ", " + map.size() + " keys]";
    }
}
