package dev.kiln.tck.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Hand-written XGBoost JSON models whose prediction identifies them: two single-leaf trees with
 * leaves {@code 1000 * value} and {@code value}, objective {@code reg:squarederror} and base score
 * 0, so every row scores {@code 1001 * value}. A row scored with anything but one whole model gives
 * another number.
 */
public final class TinyModels {

    private TinyModels() {
    }

    /**
     * Returns what every row scores with the model made by {@link #json(int, List)}.
     *
     * @param value the model's identifying value
     * @return {@code 1001 * value}
     */
    public static float expected(int value) {
        return 1001f * value;
    }

    /**
     * Writes the XGBoost JSON text of a tiny model.
     *
     * @param value the identifying value (small enough that {@code 1001 * value} is exact in float)
     * @param features the feature names (at least one)
     * @return the model as XGBoost JSON
     */
    public static String json(int value, List<String> features) {
        String names = features.stream().map(f -> "\"" + f + "\"").collect(Collectors.joining(","));
        String types = features.stream().map(f -> "\"float\"").collect(Collectors.joining(","));
        return "{\"version\":[2,1,0],\"learner\":{"
                + "\"attributes\":{},"
                + "\"feature_names\":[" + names + "],\"feature_types\":[" + types + "],"
                + "\"learner_model_param\":{\"base_score\":\"0E0\",\"num_class\":\"0\",\"num_feature\":\"" + features.size()
                + "\",\"num_target\":\"1\"},"
                + "\"objective\":{\"name\":\"reg:squarederror\",\"reg_loss_param\":{\"scale_pos_weight\":\"1\"}},"
                + "\"gradient_booster\":{\"name\":\"gbtree\",\"model\":{"
                + "\"gbtree_model_param\":{\"num_parallel_tree\":\"1\",\"num_trees\":\"2\"},"
                + "\"iteration_indptr\":[0,1,2],\"tree_info\":[0,0],"
                + "\"trees\":[" + leaf(0, 1000f * value) + "," + leaf(1, value) + "]}}}}";
    }

    private static String leaf(int id, float value) {
        return "{\"id\":" + id + ",\"tree_param\":{\"num_deleted\":\"0\",\"num_feature\":\"1\",\"num_nodes\":\"1\",\"size_leaf_vector\":\"1\"},"
                + "\"base_weights\":[" + value + "],\"categories\":[],\"categories_nodes\":[],\"categories_segments\":[],"
                + "\"categories_sizes\":[],\"default_left\":[0],\"left_children\":[-1],\"loss_changes\":[0.0],\"parents\":[2147483647],"
                + "\"right_children\":[-1],\"split_conditions\":[" + value + "],\"split_indices\":[0],\"split_type\":[0],"
                + "\"sum_hessian\":[1.0]}";
    }

    /**
     * Writes a tiny model to a file.
     *
     * @param file where to write it
     * @param value the identifying value
     * @param features the feature names
     * @return the file
     */
    public static Path write(Path file, int value, List<String> features) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, json(value, features), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
