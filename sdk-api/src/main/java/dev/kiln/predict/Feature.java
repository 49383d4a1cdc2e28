package dev.kiln.predict;

import dev.kiln.InvalidArgumentException;
import java.util.List;
import java.util.Objects;

/**
 * One model input: its position, name and type, and for a categorical feature the category names
 * the model was trained with (empty when the model does not record them; then callers pass codes).
 *
 * @param index the position of the feature in a row
 * @param name the feature name from the model, or {@code f<index>} when the model has none
 * @param type the feature type
 * @param categories category names in code order (code {@code i} is {@code categories.get(i)}),
 *     or an empty list
 */
public record Feature(int index, String name, FeatureType type, List<String> categories) {

    /**
     * Validates and copies the components.
     *
     * @param index the position of the feature in a row
     * @param name the feature name
     * @param type the feature type
     * @param categories category names in code order, or an empty list
     * @throws InvalidArgumentException if the index is negative or the name is blank
     */
    public Feature {
        if (index < 0) {
            throw new InvalidArgumentException("Feature index must be >= 0, was " + index + ".");
        }
        Objects.requireNonNull(type, "type");
        if (name == null || name.isEmpty()) {
            throw new InvalidArgumentException("Feature " + index + " has no name.");
        }
        categories = List.copyOf(categories);
    }
}
