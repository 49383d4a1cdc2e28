package dev.kiln.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.AlreadyExistsException;
import dev.kiln.ConflictException;
import dev.kiln.InvalidArgumentException;
import dev.kiln.Kiln;
import dev.kiln.NotFoundException;
import dev.kiln.Principal;
import dev.kiln.SchemaMismatchException;
import dev.kiln.governance.AuditEvent;
import dev.kiln.lakehouse.Rows;
import dev.kiln.models.LineageGraph;
import dev.kiln.models.LineageGraph.Node;
import dev.kiln.models.LineageGraph.NodeType;
import dev.kiln.models.ModelRegistry;
import dev.kiln.models.ModelUri;
import dev.kiln.models.ModelVersion;
import dev.kiln.models.RegisteredModel;
import dev.kiln.models.Stage;
import dev.kiln.models.TableRef;
import dev.kiln.models.TrainingLineage;
import dev.kiln.models.VersionSpec;
import dev.kiln.predict.Predictor;
import dev.kiln.tck.models.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every backend's model registry must do. A backend's test class extends this and implements
 * {@link #open(Path, Principal)}; the workspace it opens must be able to load the XGBoost JSON
 * models of {@link TinyModels} (the kiln-xgboost predictor does).
 */
public abstract class ModelRegistryCompatibilityKit {
    /** The principal that owns the workspace in these tests. */
    protected static final Principal ALICE = Principal.of("alice");
    private static final List<String> FEATURES = List.of("tenure", "spend");

    /** A fresh folder per test. */
    @TempDir
    protected Path dir;

    /** The workspace under test, opened as {@link #ALICE}. */
    protected Kiln kiln;

    /** Its registry. */
    protected ModelRegistry models;

    /** Creates the kit. */
    protected ModelRegistryCompatibilityKit() {
    }

    /**
     * Opens a workspace in a folder with the backend under test, acting as a principal.
     *
     * @param root the workspace folder
     * @param principal who acts
     * @return the open workspace
     */
    protected abstract Kiln open(Path root, Principal principal);

    /** Opens the workspace. */
    @BeforeEach
    void openWorkspace() {
        kiln = open(dir.resolve("ws"), ALICE);
        models = kiln.models();
    }

    /** Closes the workspace. */
    @AfterEach
    void closeWorkspace() {
        kiln.close();
    }

    private Path model(int value) {
        return TinyModels.write(dir.resolve("in").resolve("m" + value + "-" + System.nanoTime() + ".json"), value, FEATURES);
    }

    private ModelVersion register(String name, int value) {
        return models.register(VersionSpec.builder(name).fromFile(model(value)).build());
    }

    private static float score(Predictor p) {
        return p.predict(new float[] {1f, 2f});
    }

    // ------------------------------------------------------------------ URIs

    @Test
    void urisParseAndPrint() {
        assertThat(ModelUri.parse("models:/churn/3")).isEqualTo(ModelUri.version("churn", 3));
        assertThat(ModelUri.parse("models:/churn@champion")).isEqualTo(ModelUri.alias("churn", "champion"));
        ModelUri run = ModelUri.parse("runs:/abc123/model/model.json");
        assertThat(run.kind()).isEqualTo(ModelUri.Kind.RUN);
        assertThat(run.runId()).isEqualTo("abc123");
        assertThat(run.path()).isEqualTo("model/model.json");
        for (String s : List.of("models:/churn/3", "models:/churn@champion", "runs:/abc123/model/model.json")) {
            assertThat(ModelUri.parse(s).toString()).isEqualTo(s);
        }
    }

    @Test
    void badUrisSayWhatIsAccepted() {
        for (String bad : List.of("", "churn", "models:/churn", "models:/churn/x", "models:/churn/0", "models:/@a", "models:/a@",
                "models:/a/1/2", "runs:/abc", "runs://x", "runs:/abc/../etc", "models:/../x/1", "models:/churn@latest")) {
            assertThatThrownBy(() -> ModelUri.parse(bad)).as(bad).isInstanceOf(InvalidArgumentException.class);
        }
        assertThatThrownBy(() -> ModelUri.parse("churn/3")).hasMessageContaining("models:/NAME/VERSION")
                .hasMessageContaining("models:/NAME@ALIAS").hasMessageContaining("runs:/RUN_ID/PATH");
        assertThatThrownBy(() -> ModelUri.parse("models:/churn/x")).hasMessageContaining("'x' is not a version number");
    }

    // ------------------------------------------------------------------ registered models

    @Test
    void createDescribeListAndSearch() {
        RegisteredModel churn = models.create("churn", "predicts churn", Map.of("team", "risk"));
        models.create("fraud", "", Map.of("team", "payments"));
        models.create("churn_v2");
        assertThat(churn.name()).isEqualTo("churn");
        assertThat(churn.description()).isEqualTo("predicts churn");
        assertThat(churn.tags()).containsEntry("team", "risk");
        assertThat(churn.creator()).isEqualTo(ALICE);
        assertThat(churn.latestVersion()).isZero();
        assertThat(models.get("churn").id()).isEqualTo(churn.id());
        assertThat(models.find("nope")).isEmpty();
        assertThat(models.list()).extracting(RegisteredModel::name).containsExactly("churn", "churn_v2", "fraud");
        assertThat(models.search("name LIKE 'churn%'")).extracting(RegisteredModel::name).containsExactly("churn", "churn_v2");
        assertThat(models.search("name ILIKE 'CHURN'")).extracting(RegisteredModel::name).containsExactly("churn");
        assertThat(models.search("tags.team = 'payments'")).extracting(RegisteredModel::name).containsExactly("fraud");
        assertThat(models.search("name LIKE '%' and tags.team != 'payments'")).extracting(RegisteredModel::name).containsExactly("churn");
        assertThatThrownBy(() -> models.search("name ~ 'x'")).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("LIKE");
        assertThatThrownBy(() -> models.get("nope")).isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
    }

    @Test
    void namesAreUniqueAndValidated() {
        models.create("churn");
        assertThatThrownBy(() -> models.create("churn")).isInstanceOf(AlreadyExistsException.class).hasMessageContaining("churn");
        for (String bad : List.of("", "a/b", "a@b", "..", "../x", " x")) {
            assertThatThrownBy(() -> models.create(bad)).as(bad).isInstanceOf(InvalidArgumentException.class);
        }
    }

    @Test
    void tagsAndDescriptionsChange() {
        models.create("churn");
        models.setDescription("churn", "v1 of churn");
        models.setTag("churn", "team", "risk");
        models.setTag("churn", "tier", "gold");
        models.removeTag("churn", "tier");
        RegisteredModel m = models.get("churn");
        assertThat(m.description()).isEqualTo("v1 of churn");
        assertThat(m.tags()).isEqualTo(Map.of("team", "risk"));
        register("churn", 1);
        models.setVersionDescription("churn", 1, "first");
        models.setVersionTag("churn", 1, "validated", "yes");
        models.setVersionTag("churn", 1, "tmp", "x");
        models.removeVersionTag("churn", 1, "tmp");
        ModelVersion v = models.version("churn", 1);
        assertThat(v.description()).isEqualTo("first");
        assertThat(v.tags()).isEqualTo(Map.of("validated", "yes"));
    }

    // ------------------------------------------------------------------ versions

    @Test
    void registerFromFileCopiesTheModelAndRecordsItsSignature() throws Exception {
        Path file = model(1);
        ModelVersion v = models.register(VersionSpec.builder("churn").fromFile(file).description("first")
                .tag("framework", "xgboost").inputExample(Map.of("tenure", 12, "spend", 3.5)).build());
        assertThat(v.version()).isEqualTo(1);
        assertThat(v.modelName()).isEqualTo("churn");
        assertThat(v.source()).isEqualTo(file.toAbsolutePath().normalize().toString());
        assertThat(v.runId()).isNull();
        assertThat(v.creator()).isEqualTo(ALICE);
        assertThat(v.createdAt()).isNotNull();
        assertThat(v.description()).isEqualTo("first");
        assertThat(v.tags()).containsEntry("framework", "xgboost");
        assertThat(v.inputExample()).containsKeys("tenure", "spend");
        assertThat(v.signature().features()).extracting(f -> f.name()).containsExactly("tenure", "spend");
        Path expectedDir = kiln.root().resolve("artifacts").resolve("models").resolve("churn").resolve("1");
        assertThat(v.artifact()).startsWith(expectedDir);
        assertThat(Files.readString(v.artifact())).isEqualTo(Files.readString(file));
        // the version is immutable: changing the original file changes nothing
        TinyModels.write(file, 9, FEATURES);
        assertThat(score(models.load("models:/churn/1"))).isEqualTo(TinyModels.expected(1));
        assertThat(models.get("churn").latestVersion()).isEqualTo(1);
        assertThat(register("churn", 2).version()).isEqualTo(2);
        assertThat(models.versions("churn")).extracting(ModelVersion::version).containsExactly(1L, 2L);
    }

    @Test
    void registerFromARunArtifact() {
        TinyModels.write(kiln.root().resolve("artifacts/exp1/run42/artifacts/model/model.json"), 4, FEATURES);
        ModelVersion v = models.register(VersionSpec.builder("churn").fromRun("runs:/run42/model/model.json").build());
        assertThat(v.runId()).isEqualTo("run42");
        assertThat(v.source()).isEqualTo("runs:/run42/model/model.json");
        assertThat(score(models.load("models:/churn/1"))).isEqualTo(TinyModels.expected(4));
        assertThat(score(models.load("runs:/run42/model/model.json"))).isEqualTo(TinyModels.expected(4));
        assertThat(models.lineage("models:/churn/1").nodes(NodeType.RUN)).extracting(Node::name).containsExactly("run42");
        assertThatThrownBy(() -> models.register(VersionSpec.builder("churn").fromRun("runs:/nope/model/model.json").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> VersionSpec.builder("churn").fromRun("models:/churn/1").build()).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> VersionSpec.builder("churn").build()).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void signatureIsCheckedOnRegistration() {
        models.create("churn");
        assertThatThrownBy(() -> models.register(VersionSpec.builder("churn").fromFile(model(1))
                .expectFeatures(List.of("tenure", "plan")).build()))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("plan").hasMessageContaining("spend");
        assertThatThrownBy(() -> models.register(VersionSpec.builder("churn").fromFile(model(1))
                .inputExample(Map.of("age", 3)).build()))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("age");
        assertThatThrownBy(() -> models.register(VersionSpec.builder("churn").fromFile(dir.resolve("missing.json")).build()))
                .isInstanceOf(NotFoundException.class);
        assertThat(models.versions("churn")).isEmpty();
        assertThat(models.register(VersionSpec.builder("churn").fromFile(model(1)).expectFeatures(FEATURES).build()).version())
                .isEqualTo(1);
    }

    // ------------------------------------------------------------------ aliases

    @Test
    void aliasesAreSetMovedAndRemoved() {
        register("churn", 1);
        register("churn", 2);
        models.setAlias("churn", "champion", 1);
        models.setAlias("churn", "challenger", 2);
        assertThat(models.resolve("models:/churn@champion").version()).isEqualTo(1);
        assertThat(models.version("churn", 1).aliases()).containsExactly("champion");
        assertThat(models.get("churn").aliases()).isEqualTo(Map.of("champion", 1L, "challenger", 2L));
        models.setAlias("churn", "champion", 2);
        assertThat(models.resolve("models:/churn@champion").version()).isEqualTo(2);
        assertThat(models.version("churn", 2).aliases()).containsExactlyInAnyOrder("champion", "challenger");
        models.removeAlias("churn", "challenger");
        assertThat(models.get("churn").aliases()).isEqualTo(Map.of("champion", 2L));
        assertThatThrownBy(() -> models.resolve("models:/churn@challenger")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("challenger");
        assertThatThrownBy(() -> models.setAlias("churn", "champion", 7)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("version 7");
        assertThatThrownBy(() -> models.setAlias("churn", "latest", 1)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> models.removeAlias("churn", "nope")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteIsRefusedWhileAnAliasPointsAtAVersion() {
        register("churn", 1);
        models.setAlias("churn", "champion", 1);
        assertThatThrownBy(() -> models.delete("churn")).isInstanceOf(ConflictException.class).hasMessageContaining("champion");
        assertThat(models.get("churn").latestVersion()).isEqualTo(1);
        models.removeAlias("churn", "champion");
        models.delete("churn");
        assertThat(models.find("churn")).isEmpty();
        assertThatThrownBy(() -> models.load("models:/churn/1")).isInstanceOf(NotFoundException.class);
        // the name is free again; the new model starts at version 1 and its files do not clash
        ModelVersion again = register("churn", 5);
        assertThat(again.version()).isEqualTo(1);
        assertThat(score(models.load("models:/churn/1"))).isEqualTo(TinyModels.expected(5));
    }

    @Test
    void renameKeepsVersionsAndAliases() {
        register("churn", 1);
        models.setAlias("churn", "champion", 1);
        RegisteredModel renamed = models.rename("churn", "churn_model");
        assertThat(renamed.name()).isEqualTo("churn_model");
        assertThat(renamed.aliases()).containsEntry("champion", 1L);
        assertThat(models.find("churn")).isEmpty();
        assertThat(score(models.load("models:/churn_model@champion"))).isEqualTo(TinyModels.expected(1));
        register("churn", 2);
        assertThat(models.get("churn").latestVersion()).isEqualTo(1);
        assertThat(score(models.load("models:/churn/1"))).isEqualTo(TinyModels.expected(2));
        assertThatThrownBy(() -> models.rename("churn", "churn_model")).isInstanceOf(AlreadyExistsException.class);
    }

    @Test
    void stagesAreKeptOnAliases() {
        register("churn", 1);
        register("churn", 2);
        models.transitionStage("churn", 1, Stage.PRODUCTION);
        models.transitionStage("churn", 2, Stage.STAGING);
        assertThat(models.stage("churn", 1)).isEqualTo(Stage.PRODUCTION);
        assertThat(models.resolve("models:/churn@production").version()).isEqualTo(1);
        models.transitionStage("churn", 2, Stage.PRODUCTION);
        models.transitionStage("churn", 1, Stage.ARCHIVED);
        assertThat(models.stage("churn", 2)).isEqualTo(Stage.PRODUCTION);
        assertThat(models.stage("churn", 1)).isEqualTo(Stage.ARCHIVED);
        assertThat(models.get("churn").aliases()).isEqualTo(Map.of("production", 2L));
        models.transitionStage("churn", 1, Stage.NONE);
        assertThat(models.stage("churn", 1)).isEqualTo(Stage.NONE);
    }

    // ------------------------------------------------------------------ loading

    @Test
    void loadsByVersionAndAliasAndCaches() {
        register("churn", 1);
        register("churn", 2);
        models.setAlias("churn", "champion", 1);
        assertThat(score(models.load("models:/churn/2"))).isEqualTo(TinyModels.expected(2));
        assertThat(models.load("models:/churn/2")).isSameAs(models.load("models:/churn/2"));
        Predictor champion = models.load("models:/churn@champion");
        assertThat(score(champion)).isEqualTo(TinyModels.expected(1));
        assertThat(models.load("models:/churn@champion")).isSameAs(champion);
        assertThat(champion.signature().features()).hasSize(2);
        assertThatThrownBy(() -> models.load("models:/churn/3")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> models.load("models:/nope@champion")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void anAliasedPredictorFollowsTheAliasWithinTwoSeconds() throws Exception {
        register("churn", 1);
        register("churn", 2);
        models.setAlias("churn", "champion", 1);
        Predictor p = models.load("models:/churn@champion");
        assertThat(score(p)).isEqualTo(TinyModels.expected(1));
        // moved by another workspace handle on the same folder, as another process would
        try (Kiln other = open(kiln.root(), ALICE)) {
            other.models().setAlias("churn", "champion", 2);
        }
        long start = System.nanoTime();
        while (score(p) != TinyModels.expected(2) && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
            Thread.sleep(20);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(score(p)).isEqualTo(TinyModels.expected(2));
        assertThat(millis).as("swap took %d ms", millis).isLessThan(3_000);
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void concurrentRegistrationsNeverShareAVersionNumber() throws Exception {
        models.create("churn");
        int handles = 3;
        int perHandle = 4;
        List<Kiln> opened = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(handles);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int h = 0; h < handles; h++) {
                Kiln k = open(kiln.root(), ALICE);
                opened.add(k);
                int base = h * 100;
                futures.add(pool.submit(() -> {
                    List<Long> got = new ArrayList<>();
                    for (int i = 0; i < perHandle; i++) {
                        got.add(k.models().register(VersionSpec.builder("churn").fromFile(model(base + i)).build()).version());
                    }
                    return got;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : futures) {
                all.addAll(f.get(5, TimeUnit.MINUTES));
            }
            Collections.sort(all);
            List<Long> expected = new ArrayList<>();
            for (long v = 1; v <= handles * perHandle; v++) {
                expected.add(v);
            }
            assertThat(all).isEqualTo(expected);
            assertThat(models.versions("churn")).extracting(ModelVersion::version).isEqualTo(expected);
            for (ModelVersion v : models.versions("churn")) {
                assertThat(Files.exists(v.artifact())).isTrue();
            }
        } finally {
            pool.shutdownNow();
            opened.forEach(Kiln::close);
        }
    }

    @Test
    void processesRegisteringTheFirstVersionOfANewModelAtOnceShareOneModel() throws Exception {
        int handles = 3;
        List<Kiln> opened = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(handles);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int h = 0; h < handles; h++) {
                Kiln k = open(kiln.root(), ALICE);
                opened.add(k);
                int value = h + 1;
                futures.add(pool.submit(() -> k.models().register(VersionSpec.builder("fresh").fromFile(model(value)).build()).version()));
            }
            List<Long> got = new ArrayList<>();
            for (Future<Long> f : futures) {
                got.add(f.get(5, TimeUnit.MINUTES));
            }
            Collections.sort(got);
            assertThat(got).containsExactly(1L, 2L, 3L);
            assertThat(models.list()).extracting(RegisteredModel::name).containsExactly("fresh");
            assertThat(models.versions("fresh")).hasSize(3);
        } finally {
            pool.shutdownNow();
            opened.forEach(Kiln::close);
        }
    }

    // ------------------------------------------------------------------ lineage

    /** Two feature tables computed from three source tables, a spine, a training set and a run. */
    private ModelVersion registerWithLineage() {
        TinyModels.write(kiln.root().resolve("artifacts/exp1/run7/artifacts/model/model.json"), 3, FEATURES);
        TrainingLineage lineage = TrainingLineage.builder()
                .trainingSet("churn_training")
                .spine(TableRef.of("sales.labels", 4))
                .featureTable(TableRef.of("fs.customer", 2), TableRef.of("sales.customers", 5), TableRef.of("sales.orders", 7))
                .featureTable(TableRef.of("fs.activity", 1), TableRef.of("web.events", 11), TableRef.of("sales.orders", 7))
                .build();
        return models.register(VersionSpec.builder("churn").fromRun("runs:/run7/model/model.json").lineage(lineage).build());
    }

    @Test
    void lineageGoesBackToSourceTablesWithVersions() {
        ModelVersion v = registerWithLineage();
        assertThat(v.lineage().featureTables()).hasSize(2);
        models.setAlias("churn", "champion", v.version());
        LineageGraph g = models.lineage("models:/churn@champion");
        assertThat(g.root()).isEqualTo(new Node(NodeType.MODEL_VERSION, "churn", 1));
        assertThat(g.nodes(NodeType.RUN)).extracting(Node::name).containsExactly("run7");
        assertThat(g.nodes(NodeType.TRAINING_SET)).extracting(Node::name).containsExactly("churn_training");
        assertThat(g.nodes(NodeType.SPINE)).containsExactly(new Node(NodeType.SPINE, "sales.labels", 4));
        assertThat(g.nodes(NodeType.FEATURE_TABLE)).containsExactlyInAnyOrder(new Node(NodeType.FEATURE_TABLE, "fs.customer", 2),
                new Node(NodeType.FEATURE_TABLE, "fs.activity", 1));
        assertThat(g.nodes(NodeType.TABLE)).containsExactlyInAnyOrder(new Node(NodeType.TABLE, "sales.customers", 5),
                new Node(NodeType.TABLE, "sales.orders", 7), new Node(NodeType.TABLE, "web.events", 11));
        Node orders = new Node(NodeType.TABLE, "sales.orders", 7);
        assertThat(g.outputsOf(orders)).containsExactlyInAnyOrder(new Node(NodeType.FEATURE_TABLE, "fs.customer", 2),
                new Node(NodeType.FEATURE_TABLE, "fs.activity", 1));
        Node ts = new Node(NodeType.TRAINING_SET, "churn_training", -1);
        assertThat(g.inputsOf(ts)).hasSize(3);
        assertThat(g.outputsOf(ts)).containsExactly(new Node(NodeType.RUN, "run7", -1));
        String text = g.toText();
        assertThat(text).startsWith("model_version churn version 1\n").contains("<- run run7").contains("<- table sales.orders v7")
                .contains("<- spine sales.labels v4");
        String dot = g.toDot();
        assertThat(dot).startsWith("digraph lineage {").contains("\"table:sales.orders@7\" -> \"feature_table:fs.customer@2\"")
                .contains("\"run:run7\" -> \"model_version:churn@1\"");
    }

    @Test
    void lineageGoesForwardFromATableToTheModelVersionsThatUsedIt() {
        registerWithLineage();
        register("other", 1);
        assertThat(models.versionsUsing("sales.orders")).extracting(ModelVersion::modelName).containsExactly("churn");
        assertThat(models.versionsUsing("web.events")).hasSize(1);
        assertThat(models.versionsUsing("fs.activity")).hasSize(1);
        assertThat(models.versionsUsing("sales.labels")).hasSize(1);
        assertThat(models.versionsUsing("nothing.here")).isEmpty();
        LineageGraph g = models.downstream("web.events");
        assertThat(g.upstream()).isFalse();
        assertThat(g.nodes(NodeType.MODEL_VERSION)).containsExactly(new Node(NodeType.MODEL_VERSION, "churn", 1));
        assertThat(g.nodes(NodeType.FEATURE_TABLE)).containsExactly(new Node(NodeType.FEATURE_TABLE, "fs.activity", 1));
        assertThat(g.nodes(NodeType.SPINE)).isEmpty();
        assertThat(g.toText()).contains("-> model_version churn version 1");
    }

    // ------------------------------------------------------------------ state and audit

    @Test
    void stateIsInSystemTablesAndEveryChangeIsAudited() {
        register("churn", 1);
        models.setAlias("churn", "champion", 1);
        try (Rows rows = kiln.lakehouse().sql("SELECT model_name, version FROM system.model_versions")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.get(0)).isEqualTo("churn");
            assertThat(rows.get(1)).isEqualTo(1L);
        }
        try (Rows rows = kiln.lakehouse().sql("SELECT count(*) FROM system.model_events WHERE action = 'ALIAS_SET'")) {
            assertThat(rows.next()).isTrue();
            assertThat(((Number) rows.get(0)).longValue()).isEqualTo(1L);
        }
        List<String> actions = kiln.governance().auditLog().stream().filter(e -> e.securable().name().equals("churn"))
                .map(AuditEvent::action).toList();
        assertThat(actions).contains("model.create", "model.version.create", "model.alias.set");
    }
}
