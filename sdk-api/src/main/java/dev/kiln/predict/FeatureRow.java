package dev.kiln.predict;

import dev.kiln.SchemaMismatchException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A reusable row of named features for one model. Every value starts missing; set the ones you
 * have by name, score, then {@link #clear()} and reuse. Not thread-safe: keep one per thread.
 *
 * <pre>{@code
 * FeatureRow row = predictor.newRow();
 * float p = predictor.predict(row.clear().set("age", 42).set("city", "Paris"));
 * }</pre>
 */
public final class FeatureRow {
    private final Signature signature;
    private final Map<String, Integer> index;
    private final Map<String, Integer>[] categoryCodes;
    private final float[] values;

    /**
     * Creates an all-missing row for the given signature.
     *
     * @param signature the model's input signature
     */
    @SuppressWarnings("unchecked")
    public FeatureRow(Signature signature) {
        this.signature = signature;
        this.index = signature.index();
        this.values = new float[signature.width()];
        this.categoryCodes = new Map[signature.width()];
        for (Feature f : signature.features()) {
            List<String> cats = f.categories();
            if (!cats.isEmpty()) {
                Map<String, Integer> codes = new HashMap<>(cats.size() * 2);
                for (int i = 0; i < cats.size(); i++) {
                    codes.putIfAbsent(cats.get(i), i);
                }
                categoryCodes[f.index()] = codes;
            }
        }
        Arrays.fill(values, Float.NaN);
    }

    /**
     * Marks every feature missing again.
     *
     * @return this row
     */
    public FeatureRow clear() {
        Arrays.fill(values, Float.NaN);
        return this;
    }

    /**
     * Sets a numeric value (or a category code for a categorical feature).
     *
     * @param name the feature name
     * @param value the value; NaN means missing
     * @return this row
     * @throws SchemaMismatchException if the model has no feature of that name
     */
    public FeatureRow set(String name, double value) {
        values[position(name)] = (float) value;
        return this;
    }

    /**
     * Sets a value from an object: a {@link Number}, a {@link Boolean} (1 or 0), a category name
     * for a categorical feature, or null for missing.
     *
     * @param name the feature name
     * @param value the value
     * @return this row
     * @throws SchemaMismatchException if the name is unknown, a string is given for a numeric
     *     feature, or a category name is not one of the model's categories
     */
    public FeatureRow set(String name, Object value) {
        int i = position(name);
        if (value == null) {
            values[i] = Float.NaN;
        } else if (value instanceof Number n) {
            values[i] = n.floatValue();
        } else if (value instanceof Boolean b) {
            values[i] = b ? 1f : 0f;
        } else if (value instanceof CharSequence s) {
            values[i] = categoryCode(i, s.toString());
        } else {
            throw new SchemaMismatchException("Feature '" + name + "' got a " + value.getClass().getName()
                    + "; pass a number, a boolean, a category name or null.");
        }
        return this;
    }

    /**
     * Sets a categorical feature by category name.
     *
     * @param name the feature name
     * @param category the category name as recorded in the model
     * @return this row
     * @throws SchemaMismatchException if the feature is unknown or not categorical, the model
     *     records no category names, or the name is not one of them
     */
    public FeatureRow set(String name, String category) {
        int i = position(name);
        values[i] = category == null ? Float.NaN : categoryCode(i, category);
        return this;
    }

    /**
     * Sets the value at a row position.
     *
     * @param position the feature position, 0-based
     * @param value the value; NaN means missing
     * @return this row
     * @throws SchemaMismatchException if the position is outside the row
     */
    public FeatureRow set(int position, float value) {
        if (position < 0 || position >= values.length) {
            throw new SchemaMismatchException("Feature position " + position + " is outside a row of "
                    + values.length + " features.");
        }
        values[position] = value;
        return this;
    }

    /**
     * Returns the row's values in model order (the live array, not a copy).
     *
     * @return the values, NaN where missing
     */
    public float[] values() {
        return values;
    }

    /**
     * Returns the signature this row was made for.
     *
     * @return the signature
     */
    public Signature signature() {
        return signature;
    }

    private int position(String name) {
        Integer i = index.get(name);
        if (i == null) {
            signature.feature(name); // throws with the list of known names
            throw new SchemaMismatchException("Unknown feature '" + name + "'.");
        }
        return i;
    }

    private float categoryCode(int i, String category) {
        Feature f = signature.features().get(i);
        if (f.type() != FeatureType.CATEGORICAL) {
            throw new SchemaMismatchException("Feature '" + f.name() + "' is " + f.type().name().toLowerCase()
                    + " but got the string '" + category + "'; pass a number.");
        }
        Map<String, Integer> codes = categoryCodes[i];
        if (codes == null) {
            throw new SchemaMismatchException("Categorical feature '" + f.name()
                    + "' has no category names in the model; pass the category code as a number.");
        }
        Integer code = codes.get(category);
        if (code == null) {
            throw new SchemaMismatchException("Category '" + category + "' is not one of the "
                    + codes.size() + " categories of feature '" + f.name() + "' the model was trained with.");
        }
        return code;
    }
}
