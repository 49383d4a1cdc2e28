package dev.kiln.serving;

import dev.kiln.Kiln;
import dev.kiln.Principal;
import dev.kiln.features.FeatureTableDefinition;
import dev.kiln.models.TableRef;
import dev.kiln.models.TrainingLineage;
import dev.kiln.models.VersionSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A workspace owned by {@code alice} with model {@code churn}: version v scores
 * {@code 100 * v + (tenure < 10 ? 1 : 2)} from inputs {@code tenure, spend} (a missing tenure goes
 * left, to 1), and {@code @champion} on version 1. Versions record the feature table
 * {@code fs.customers} (customer 1: tenure 3, customer 2: tenure 30) in their lineage, for scoring by key.
 */
final class ServingFixture {
    static final Principal OWNER = Principal.of("alice");

    private ServingFixture() {
    }

    /** Opens the workspace as the owner, following aliases every 50 ms. */
    static Kiln open(Path root) {
        return Kiln.builder().root(root).principal(OWNER).property("models.follow.interval", "PT0.05S").open();
    }

    static Kiln create(Path root, Path scratch, int versions) throws IOException {
        Kiln kiln = open(root);
        kiln.lakehouse().createSchemaIfNotExists("fs");
        kiln.features().createTable(FeatureTableDefinition.builder("fs.customers").primaryKeys("customer_id").timestampKey("as_of").build(),
                "SELECT * FROM (VALUES (1::BIGINT, TIMESTAMP '2025-01-01', 3.0::DOUBLE, 40.0::DOUBLE), "
                        + "(2::BIGINT, TIMESTAMP '2025-01-01', 30.0::DOUBLE, 12.5::DOUBLE)) t(customer_id, as_of, tenure, spend)");
        long tableVersion = kiln.features().table("fs.customers").table().latest().version();
        for (int v = 1; v <= versions; v++) {
            kiln.models().register(VersionSpec.builder("churn").fromFile(model(scratch, v))
                    .lineage(TrainingLineage.builder().featureTable(TableRef.of("fs.customers", tableVersion)).build()).build());
        }
        kiln.models().setAlias("churn", "champion", 1);
        return kiln;
    }

    /** An XGBoost JSON model of two trees: a split on tenure at 10 (leaves 1 and 2) and a constant 100 * marker. */
    static Path model(Path dir, int marker) throws IOException {
        String split = "{\"tree_param\":{\"num_nodes\":\"3\",\"size_leaf_vector\":\"1\"},\"left_children\":[1,-1,-1],"
                + "\"right_children\":[2,-1,-1],\"split_indices\":[0,0,0],\"split_conditions\":[10.0,1.0,2.0],\"default_left\":[1,0,0],"
                + "\"split_type\":[0,0,0],\"sum_hessian\":[2.0,1.0,1.0]}";
        String leaf = "{\"tree_param\":{\"num_nodes\":\"1\",\"size_leaf_vector\":\"1\"},\"left_children\":[-1],\"right_children\":[-1],"
                + "\"split_indices\":[0],\"split_conditions\":[" + (100f * marker) + "],\"default_left\":[0],\"split_type\":[0],"
                + "\"sum_hessian\":[1.0]}";
        String json = "{\"learner\":{\"feature_names\":[\"tenure\",\"spend\"],\"feature_types\":[\"float\",\"float\"],"
                + "\"learner_model_param\":{\"base_score\":\"0E0\",\"num_class\":\"0\",\"num_feature\":\"2\",\"num_target\":\"1\"},"
                + "\"objective\":{\"name\":\"reg:squarederror\"},\"gradient_booster\":{\"name\":\"gbtree\",\"model\":{"
                + "\"gbtree_model_param\":{\"num_parallel_tree\":\"1\",\"num_trees\":\"2\"},\"tree_info\":[0,0],\"trees\":["
                + split + "," + leaf + "]}}}}";
        Files.createDirectories(dir);
        Path file = dir.resolve("churn-" + marker + ".json");
        Files.writeString(file, json);
        return file;
    }

    /** A real HTTP client on loopback, keeping connections alive. */
    static final class Http {
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final String base;

        Http(int port) {
            this.base = "http://127.0.0.1:" + port;
        }

        HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
        }

        HttpResponse<String> post(String path, String contentType, String body, String... headers) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            return send(b, headers);
        }

        HttpResponse<String> put(String path, String body, String... headers) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(base + path)).PUT(HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json"), headers);
        }

        HttpResponse<String> delete(String path, String... headers) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), headers);
        }

        private HttpResponse<String> send(HttpRequest.Builder b, String... headers) throws IOException, InterruptedException {
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
