package dev.kiln.predict;

import dev.kiln.SchemaMismatchException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model takes and gives: its input features in row order and the shape of its output.
 *
 * @param features the inputs, in the order of a {@code float[]} row
 * @param outputCount values per row returned by transformed prediction (1 for binary and
 *     regression models and for {@code multi:softmax}, the class count for {@code multi:softprob},
 *     the quantile count for multi-quantile regression)
 * @param marginCount values per row returned as raw margins (the number of output groups)
 * @param objective the XGBoost objective name, for example {@code binary:logistic}
 * @param booster the booster the model was trained with ({@code gbtree} or {@code dart})
 * @param rounds the number of boosting rounds in the model
 * @param bestIteration the model's {@code best_iteration} attribute, or -1 when it has none
 */
public record Signature(List<Feature> features, int outputCount, int marginCount, String objective,
        String booster, int rounds, int bestIteration) {

    /**
     * Copies the feature list.
     *
     * @param features the inputs in row order
     * @param outputCount transformed values per row
     * @param marginCount margin values per row
     * @param objective the objective name
     * @param booster the booster name
     * @param rounds the number of boosting rounds
     * @param bestIteration the best iteration, or -1
     */
    public Signature {
        features = List.copyOf(features);
    }

    /**
     * Returns the number of features in a row.
     *
     * @return the row width
     */
    public int width() {
        return features.size();
    }

    /**
     * Finds a feature by name.
     *
     * @param name the feature name
     * @return the feature
     * @throws SchemaMismatchException if the model has no feature of that name
     */
    public Feature feature(String name) {
        Integer i = index().get(name);
        if (i == null) {
            throw new SchemaMismatchException("Unknown feature '" + name + "': the model's features are "
                    + preview() + ".");
        }
        return features.get(i);
    }

    /**
     * Builds a map from feature name to row position.
     *
     * @return a new mutable map
     */
    public Map<String, Integer> index() {
        Map<String, Integer> map = new HashMap<>(features.size() * 2);
        for (Feature f : features) {
            map.put(f.name(), f.index());
        }
        return map;
    }

    private String preview() {
        List<String> names = features.stream().map(Feature::name).limit(20).toList();
        return features.size() > 20 ? names + " and " + (features.size() - 20) + " more" : names.toString();
    }
}
