package dev.kiln.training;

import dev.kiln.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The parameter sets a hyper-parameter search tries: every combination of a grid, or a fixed number
 * of random draws from the given choices.
 *
 * @param trials the parameter overrides of each trial, in order
 */
public record SearchSpace(List<Map<String, Object>> trials) {

    /**
     * Checks there is at least one trial.
     *
     * @param trials the trials
     * @throws InvalidArgumentException if there is none
     */
    public SearchSpace {
        if (trials == null || trials.isEmpty()) {
            throw new InvalidArgumentException("A search space needs at least one trial.");
        }
        trials = trials.stream().map(Map::copyOf).toList();
    }

    /**
     * Every combination of the given values.
     *
     * @param values parameter name to the values to try
     * @return the grid
     * @throws InvalidArgumentException if a parameter has no value
     */
    public static SearchSpace grid(Map<String, List<?>> values) {
        List<Map<String, Object>> trials = new ArrayList<>();
        trials.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<?>> parameter : values.entrySet()) {
            if (parameter.getValue().isEmpty()) {
                throw new InvalidArgumentException("Parameter '" + parameter.getKey() + "' of the grid has no value to try.");
            }
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : trials) {
                for (Object value : parameter.getValue()) {
                    Map<String, Object> trial = new LinkedHashMap<>(partial);
                    trial.put(parameter.getKey(), value);
                    next.add(trial);
                }
            }
            trials = next;
        }
        return new SearchSpace(trials);
    }

    /**
     * {@code count} random draws, each parameter drawn independently from its values.
     *
     * @param values parameter name to the values to draw from
     * @param count how many trials
     * @param seed the seed, so the same search draws the same trials
     * @return the trials
     */
    public static SearchSpace random(Map<String, List<?>> values, int count, long seed) {
        Random random = new Random(seed);
        List<Map<String, Object>> trials = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> trial = new LinkedHashMap<>();
            values.forEach((name, choices) -> trial.put(name, choices.get(random.nextInt(choices.size()))));
            trials.add(trial);
        }
        return new SearchSpace(trials);
    }
}
