package dev.kiln.predict;

/** The type of a model input, from XGBoost's {@code feature_types}. */
public enum FeatureType {
    /** A real-valued feature ({@code q} or {@code float}). */
    NUMERIC,
    /** An integer-valued feature ({@code int}). */
    INTEGER,
    /** A 0/1 indicator feature ({@code i}). */
    INDICATOR,
    /** A categorical feature ({@code c}): the value is a category code, or a category name. */
    CATEGORICAL;

    /**
     * Maps an XGBoost feature type string to a type.
     *
     * @param xgboostType {@code q}, {@code float}, {@code int}, {@code i} or {@code c}
     * @return the type; unknown strings are numeric
     */
    public static FeatureType fromXGBoost(String xgboostType) {
        return switch (xgboostType) {
            case "c" -> CATEGORICAL;
            case "int" -> INTEGER;
            case "i" -> INDICATOR;
            default -> NUMERIC;
        };
    }
}
