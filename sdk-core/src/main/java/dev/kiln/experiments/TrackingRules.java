package dev.kiln.experiments;

import dev.kiln.InvalidArgumentException;
import java.util.regex.Pattern;

/** MLflow's limits on keys and values. */
final class TrackingRules {

    /** Longest key of a param, metric or tag. */
    static final int MAX_KEY_LENGTH = 250;
    /** Longest param value. */
    static final int MAX_PARAM_VALUE_LENGTH = 6000;
    /** Longest tag value. */
    static final int MAX_TAG_VALUE_LENGTH = 8000;
    /** Longest experiment name. */
    static final int MAX_EXPERIMENT_NAME_LENGTH = 500;

    private static final Pattern KEY = Pattern.compile("[\\w.\\-/ ]+", Pattern.UNICODE_CHARACTER_CLASS);

    private TrackingRules() {
    }

    static String key(String kind, String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH || !KEY.matcher(key).matches()
                || key.equals(".") || key.startsWith("/") || key.contains("..") || key.contains("//")) {
            throw new InvalidArgumentException("Invalid " + kind + " key '" + key + "': use letters, digits, '_', '-', "
                    + "'.', ' ' and '/' (at most " + MAX_KEY_LENGTH + " characters, no '..').");
        }
        return key;
    }

    static String paramValue(String key, String value) {
        if (value == null) {
            throw new InvalidArgumentException("Param '" + key + "' needs a value; log \"\" for an empty one.");
        }
        if (value.length() > MAX_PARAM_VALUE_LENGTH) {
            throw new InvalidArgumentException("Param '" + key + "' has " + value.length() + " characters; at most "
                    + MAX_PARAM_VALUE_LENGTH + " fit. Log long values as an artifact.");
        }
        return value;
    }

    static String tagValue(String key, String value) {
        if (value == null) {
            throw new InvalidArgumentException("Tag '" + key + "' needs a value; use deleteTag to remove it.");
        }
        if (value.length() > MAX_TAG_VALUE_LENGTH) {
            throw new InvalidArgumentException("Tag '" + key + "' has " + value.length() + " characters; at most "
                    + MAX_TAG_VALUE_LENGTH + " fit. Log long values as an artifact.");
        }
        return value;
    }

    static String experimentName(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidArgumentException("An experiment needs a non-blank name, e.g. \"churn\".");
        }
        if (name.length() > MAX_EXPERIMENT_NAME_LENGTH) {
            throw new InvalidArgumentException("Experiment name has " + name.length() + " characters; at most "
                    + MAX_EXPERIMENT_NAME_LENGTH + " fit.");
        }
        return name;
    }
}
