package dev.kiln.features;

import dev.kiln.InvalidArgumentException;
import dev.kiln.predict.Feature;
import dev.kiln.predict.KeyedPredictor;
import dev.kiln.predict.Predictor;
import dev.kiln.predict.Signature;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds a predictor to the feature lookups of its training set: one online store per feature
 * table, and for every model input the table and feature it comes from, resolved once here so a
 * request only does the lookups and a copy into the row.
 */
public final class KeyedPredictors {
    private KeyedPredictors() {
    }

    /**
     * Binds a predictor to lookups (usually {@code trainingSet.lineage().lookups()}).
     *
     * @param store the feature store holding the tables
     * @param predictor the model
     * @param lookups the lookups the model was trained with
     * @return a predictor that scores by entity key
     * @throws InvalidArgumentException if a model feature is found in no lookup and so could never be filled
     */
    public static KeyedPredictor bind(FeatureStore store, Predictor predictor, List<FeatureLookup> lookups) {
        return new Bound(store, predictor, lookups);
    }

    /** Where a model input comes from: which lookup, and which position of its feature vector. */
    private record Source(int lookup, int position) {
    }

    private static final class Bound implements KeyedPredictor {
        private final Predictor predictor;
        private final List<OnlineStore> stores = new ArrayList<>();
        private final List<String[]> keyColumns = new ArrayList<>(); // per lookup: the request column of each primary key, in store key order
        private final Source[] sources;
        private final String[] names;
        private final List<String> keys;

        Bound(FeatureStore store, Predictor predictor, List<FeatureLookup> lookups) {
            this.predictor = predictor;
            Signature signature = predictor.signature();
            names = signature.features().stream().map(Feature::name).toArray(String[]::new);
            sources = new Source[names.length];
            LinkedHashSet<String> requestKeys = new LinkedHashSet<>();
            try {
                for (int l = 0; l < lookups.size(); l++) {
                    FeatureLookup lookup = lookups.get(l);
                    FeatureTable table = store.table(lookup.table());
                    List<String> features = lookup.features().isEmpty() ? table.features() : lookup.features();
                    OnlineStore online = store.onlineStore(lookup.table(),
                            OnlineStoreOptions.builder().features(features.toArray(String[]::new)).build());
                    stores.add(online);
                    String[] columns = new String[online.keys().size()];
                    for (int k = 0; k < columns.length; k++) {
                        String key = online.keys().get(k);
                        columns[k] = lookup.keyMapping().getOrDefault(key, key);
                        requestKeys.add(columns[k]);
                    }
                    keyColumns.add(columns);
                    List<String> published = online.features();
                    for (int f = 0; f < published.size(); f++) {
                        String output = lookup.renames().getOrDefault(published.get(f), published.get(f));
                        for (int i = 0; i < names.length; i++) {
                            if (names[i].equals(output) && sources[i] == null) {
                                sources[i] = new Source(l, f);
                            }
                        }
                    }
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            this.keys = List.copyOf(requestKeys);
        }

        @Override
        public List<String> keys() {
            return keys;
        }

        @Override
        public Signature signature() {
            return predictor.signature();
        }

        @Override
        public float predict(Map<String, ?> request) {
            return score(row(request));
        }

        @Override
        public float score(float[] row) {
            return predictor.predict(row);
        }

        @Override
        public float[] row(Map<String, ?> request) {
            float[] row = new float[names.length];
            java.util.Arrays.fill(row, Float.NaN);
            FeatureVector[] vectors = new FeatureVector[stores.size()];
            for (int l = 0; l < stores.size(); l++) {
                // key values in the store's key order: no map per request (this is the per-call hot path)
                String[] columns = keyColumns.get(l);
                Object[] key = new Object[columns.length];
                for (int k = 0; k < columns.length; k++) {
                    Object value = request.get(columns[k]);
                    if (value == null) {
                        throw new InvalidArgumentException("The request needs key '" + columns[k] + "' (keys: " + keys + ").");
                    }
                    key[k] = value;
                }
                Optional<FeatureVector> vector = stores.get(l).get(key);
                vectors[l] = vector.orElse(null);
            }
            for (int i = 0; i < names.length; i++) {
                Object override = request.get(names[i]);
                if (override != null) {
                    row[i] = number(names[i], override);
                } else if (sources[i] != null && vectors[sources[i].lookup()] != null) {
                    Object value = vectors[sources[i].lookup()].values()[sources[i].position()];
                    row[i] = value == null ? Float.NaN : number(names[i], value);
                }
            }
            return row;
        }

        private static float number(String feature, Object value) {
            if (value instanceof Number n) {
                return n.floatValue();
            }
            if (value instanceof Boolean b) {
                return b ? 1f : 0f;
            }
            throw new InvalidArgumentException("Feature '" + feature + "' needs a number, not " + value.getClass().getSimpleName()
                    + " '" + value + "'.");
        }

        @Override
        public long refresh() {
            long changed = 0;
            for (OnlineStore store : stores) {
                changed += store.refresh();
            }
            return changed;
        }

        @Override
        public void close() {
            for (OnlineStore s : stores) {
                s.close();
            }
        }
    }
}
