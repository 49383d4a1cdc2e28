package dev.kiln.models;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kiln.AlreadyExistsException;
import dev.kiln.ConflictException;
import dev.kiln.InvalidArgumentException;
import dev.kiln.KilnException;
import dev.kiln.NotFoundException;
import dev.kiln.Principal;
import dev.kiln.SchemaMismatchException;
import dev.kiln.StorageException;
import dev.kiln.governance.Grant;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.governance.SystemTables;
import dev.kiln.governance.WorkspaceGovernance;
import dev.kiln.lakehouse.CommitInfo;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Snapshot;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.WriteSource;
import dev.kiln.models.RegistryState.Event;
import dev.kiln.models.RegistryState.Model;
import dev.kiln.models.RegistryState.VersionRow;
import dev.kiln.predict.Feature;
import dev.kiln.predict.FeatureRow;
import dev.kiln.predict.Predictor;
import dev.kiln.predict.PredictorOptions;
import dev.kiln.predict.Signature;
import dev.kiln.spi.PredictorProvider;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model registry on the workspace's {@code system} tables.
 *
 * <ul>
 *   <li>{@code system.model_events}: one row per change (create, rename, delete, description, tag,
 *       alias, version description and tag), replayed in (time, event id) order: the latest wins.</li>
 *   <li>{@code system.model_versions}: one immutable row per version.</li>
 *   <li>{@code system.model_lineage}: one row per input of a version (run, training set, spine,
 *       feature table, source table, table), for SQL and forward lineage.</li>
 *   <li>{@code system.model_claims}: claims on a model name or a version number. A claim is a
 *       blind append; it wins if no claim with the same key is in the table version just before
 *       the one it was committed as. Delta commits are totally ordered, so exactly one claimant of
 *       a key wins, in every process, and version numbers are never handed out twice.</li>
 * </ul>
 */
public final class CoreModelRegistry implements ModelRegistry, AutoCloseable {
    static final String EVENTS = "model_events";
    static final String EVENT_COLUMNS = "time TIMESTAMP, event_id STRING, model_id STRING, model_name STRING, action STRING, "
            + "version BIGINT, key STRING, value STRING, principal STRING";
    static final String VERSIONS = "model_versions";
    static final String VERSION_COLUMNS = "time TIMESTAMP, model_id STRING, model_name STRING, version BIGINT, source STRING, "
            + "run_id STRING, artifact STRING, signature STRING, input_example STRING, description STRING, tags STRING, "
            + "creator STRING, lineage STRING";
    static final String LINEAGE = "model_lineage";
    static final String LINEAGE_COLUMNS = "time TIMESTAMP, model_id STRING, model_name STRING, version BIGINT, kind STRING, "
            + "name STRING, table_version BIGINT, feeds STRING";
    static final String CLAIMS = "model_claims";
    static final String CLAIM_COLUMNS = "time TIMESTAMP, claim_key STRING, claim_id STRING, principal STRING";

    /** Workspace property: how often followed aliases are checked (ISO-8601 duration or milliseconds). */
    public static final String FOLLOW_INTERVAL = "models.follow.interval";
    /** Workspace property: how many loaded models the URI cache keeps. */
    public static final String CACHE_SIZE = "models.cache.size";
    /** An unmaterialised name claim younger than this blocks the name (its claimant is still writing). */
    private static final Duration NAME_LEASE = Duration.ofSeconds(30);
    private static final int MAX_CLAIM_ATTEMPTS = 64;
    private static final int COMPACT_EVERY = 25;
    private static final Logger LOG = LoggerFactory.getLogger(CoreModelRegistry.class);
    private static final AtomicLong LAST_MICROS = new AtomicLong();

    private final Path root;
    private final SystemTables system;
    private final WorkspaceGovernance governance;
    private final Principal actor;
    private final Duration followInterval;
    private final Cache<String, Predictor> cache;
    private final Set<FollowingPredictor> followers = Collections.newSetFromMap(new WeakHashMap<>());
    private volatile RunArtifacts runArtifacts;
    private volatile Function<String, Optional<String>> experimentOfRun = runId -> Optional.empty();
    private volatile Function<byte[], Predictor> loader;
    private volatile RegistryState state;
    private ScheduledExecutorService follower;
    private volatile boolean closed;

    /**
     * Creates the registry of a workspace.
     *
     * @param root the workspace folder
     * @param system its system tables
     * @param governance its governance, acting as the workspace's principal
     * @param properties workspace properties ({@value #FOLLOW_INTERVAL}, {@value #CACHE_SIZE})
     */
    public CoreModelRegistry(Path root, SystemTables system, WorkspaceGovernance governance, Map<String, String> properties) {
        this.root = root.toAbsolutePath().normalize();
        this.system = system;
        this.governance = governance;
        this.actor = governance.actor();
        this.followInterval = duration(properties.get(FOLLOW_INTERVAL), Duration.ofSeconds(1));
        long size = Long.parseLong(properties.getOrDefault(CACHE_SIZE, "64"));
        this.cache = Caffeine.newBuilder().maximumSize(size).build();
        this.runArtifacts = new WorkspaceRunArtifacts(this.root);
    }

    private static Duration duration(String text, Duration dflt) {
        if (text == null || text.isBlank()) {
            return dflt;
        }
        try {
            return text.trim().startsWith("P") ? Duration.parse(text.trim()) : Duration.ofMillis(Long.parseLong(text.trim()));
        } catch (RuntimeException e) {
            throw new InvalidArgumentException(FOLLOW_INTERVAL + "='" + text + "' is neither an ISO-8601 duration (PT0.5S) nor milliseconds.");
        }
    }

    /**
     * Sets how {@code runs:/} URIs are resolved (experiment tracking wires its own).
     *
     * @param resolver the resolver
     */
    public void runArtifacts(RunArtifacts resolver) {
        this.runArtifacts = resolver;
    }

    /**
     * Sets how the experiment of a run is found, so that a {@code runs:/} URI is checked against the
     * grants on that experiment (experiment tracking wires its own).
     *
     * @param resolver the experiment's name by run id, empty for a run tracking does not know
     */
    public void experimentOfRun(Function<String, Optional<String>> resolver) {
        this.experimentOfRun = resolver;
    }

    /**
     * Checks that the acting principal may read the run a {@code runs:/} URI names: READ on the run's
     * experiment, the nearest thing a run has to EXECUTE on a model (a run's artifacts are readable by
     * whoever may read its experiment). A run that tracking does not know (its artifacts put there by
     * hand) belongs to no experiment and needs READ on the catalog.
     */
    private void checkRunRead(ModelUri run, String action) {
        Securable experiment = experimentOfRun.apply(run.runId()).map(Securable::experiment).orElse(Securable.CATALOG);
        governance.check(Privilege.READ, experiment, action, Map.of("uri", run.toString(), "runId", run.runId()));
    }

    /**
     * Sets how model bytes become a predictor; the default is {@link PredictorProvider#find()}.
     *
     * @param modelLoader the loader
     */
    public void loader(Function<byte[], Predictor> modelLoader) {
        this.loader = modelLoader;
    }

    /**
     * Returns how often followed aliases are checked.
     *
     * @return the interval
     */
    public Duration followInterval() {
        return followInterval;
    }

    // ------------------------------------------------------------------ registered models

    @Override
    public RegisteredModel create(String name, String description, Map<String, String> tags) {
        ModelUri.checkName(name);
        governance.check(Privilege.CREATE, Securable.CATALOG, "model.create");
        String claim = claimName(name, "model.create");
        String id = UUID.randomUUID().toString();
        List<Object[]> rows = new ArrayList<>();
        rows.add(event(id, name, "CREATE", null, claim, description == null ? "" : description));
        tags.forEach((k, v) -> rows.add(event(id, name, "TAG_SET", null, checkTagKey(k), v)));
        appendEvents(rows);
        Securable securable = Securable.model(name);
        governance.created(securable);
        governance.audit("model.create", securable, "ALLOWED", Map.of("modelId", id));
        return get(name);
    }

    @Override
    public RegisteredModel get(String name) {
        Model m = model(name);
        requireRead(m.name);
        return describe(m);
    }

    @Override
    public Optional<RegisteredModel> find(String name) {
        Model m = state(true).byName.get(name);
        if (m == null || !canRead(m.name)) {
            return Optional.empty();
        }
        return Optional.of(describe(m));
    }

    @Override
    public List<RegisteredModel> list() {
        return search("");
    }

    @Override
    public List<RegisteredModel> search(String filter) {
        ModelFilter f = ModelFilter.parse(filter);
        List<RegisteredModel> out = new ArrayList<>();
        for (Model m : state(true).byName.values()) {
            if (f.test(m.name, m.tags) && canRead(m.name)) {
                out.add(describe(m));
            }
        }
        return out;
    }

    @Override
    public RegisteredModel rename(String name, String newName) {
        ModelUri.checkName(newName);
        Model m = model(name);
        Securable from = Securable.model(m.name);
        governance.check(Privilege.MANAGE, from, "model.rename");
        governance.check(Privilege.CREATE, Securable.CATALOG, "model.rename");
        if (name.equals(newName)) {
            return describe(m);
        }
        Principal owner = governance.owner(from);
        List<Grant> grants = governance.grants(from);
        String claim = claimName(newName, "model.rename");
        appendEvents(List.<Object[]>of(event(m.id, newName, "RENAME", null, claim, name)));
        Securable to = Securable.model(newName);
        governance.created(to);
        for (Grant g : grants) {
            governance.grant(g.privilege(), to, g.principal());
            governance.revoke(g.privilege(), from, g.principal());
        }
        if (owner != null && !owner.equals(actor)) {
            governance.transferOwnership(to, owner);
        }
        governance.audit("model.rename", to, "ALLOWED", Map.of("from", name, "to", newName, "modelId", m.id));
        return get(newName);
    }

    @Override
    public void delete(String name) {
        Model m = model(name);
        Securable securable = Securable.model(m.name);
        governance.check(Privilege.MANAGE, securable, "model.delete");
        if (!m.aliases.isEmpty()) {
            governance.audit("model.delete", securable, "FAILED", Map.of("aliases", m.aliases.toString()));
            throw new ConflictException("Model " + name + " cannot be deleted while aliases point at its versions: " + m.aliases
                    + ". Remove them first (removeAlias, or `kiln models alias remove`).");
        }
        appendEvents(List.<Object[]>of(event(m.id, m.name, "DELETE", null, null, null)));
        for (Grant g : governance.grants(securable)) {
            governance.revoke(g.privilege(), securable, g.principal());
        }
        governance.audit("model.delete", securable, "ALLOWED", Map.of("modelId", m.id, "versions", String.valueOf(m.versions.size())));
    }

    @Override
    public void setDescription(String name, String description) {
        Model m = model(name);
        governance.check(Privilege.MODIFY, Securable.model(m.name), "model.describe");
        appendEvents(List.<Object[]>of(event(m.id, m.name, "DESCRIBE", null, null, description == null ? "" : description)));
        governance.audit("model.describe", Securable.model(m.name), "ALLOWED", Map.of());
    }

    @Override
    public void setTag(String name, String key, String value) {
        Model m = model(name);
        governance.check(Privilege.APPLY_TAG, Securable.model(m.name), "model.tag.set");
        appendEvents(List.<Object[]>of(event(m.id, m.name, "TAG_SET", null, checkTagKey(key), value)));
        governance.audit("model.tag.set", Securable.model(m.name), "ALLOWED", Map.of("key", key, "value", String.valueOf(value)));
    }

    @Override
    public void removeTag(String name, String key) {
        Model m = model(name);
        governance.check(Privilege.APPLY_TAG, Securable.model(m.name), "model.tag.remove");
        appendEvents(List.<Object[]>of(event(m.id, m.name, "TAG_DELETE", null, key, null)));
        governance.audit("model.tag.remove", Securable.model(m.name), "ALLOWED", Map.of("key", key));
    }

    // ------------------------------------------------------------------ versions

    @Override
    public ModelVersion register(VersionSpec spec) {
        String name = spec.modelName();
        RegistryState s = state(true);
        if (!s.byName.containsKey(name)) {
            governance.check(Privilege.CREATE, Securable.CATALOG, "model.create");
        } else {
            governance.check(Privilege.CREATE, Securable.model(name), "model.version.create");
        }
        // read and check the model before anything is written
        String source;
        String runId = null;
        Path file;
        if (spec.source() != null) {
            ModelUri run = ModelUri.parse(spec.source());
            checkRunRead(run, "model.version.create");
            runId = run.runId();
            source = run.toString();
            file = runArtifacts.resolve(run.runId(), run.path());
        } else {
            file = spec.file().toAbsolutePath().normalize();
            source = file.toString();
        }
        if (Files.isDirectory(file)) {
            file = modelFileIn(file);
        }
        byte[] bytes = readModel(file);
        Predictor predictor = load(bytes);
        Signature signature = predictor.signature();
        checkSignature(name, signature, spec);
        if (!s.byName.containsKey(name)) {
            try {
                create(name);
            } catch (AlreadyExistsException | ConflictException raced) {
                // another process created it at the same moment: register into theirs once its CREATE lands
                awaitModel(name);
                governance.check(Privilege.CREATE, Securable.model(name), "model.version.create");
            }
        }
        Model m = model(name);
        long version = claimVersion(m);
        Path artifact = writeArtifact(name, version, bytes, file.getFileName().toString());
        Instant now = now();
        List<Object[]> lineageRows = lineageRows(now, m.id, name, version, runId, spec.lineage());
        if (!lineageRows.isEmpty()) {
            append(system.table(LINEAGE, LINEAGE_COLUMNS), lineageRows);
        }
        append(system.table(VERSIONS, VERSION_COLUMNS), List.<Object[]>of(new Object[] {now, m.id, name, version,
                source, runId, root.relativize(artifact).toString().replace('\\', '/'), RegistryJson.write(signature),
                RegistryJson.write(spec.inputExample()), spec.description(), RegistryJson.write(spec.tags()), actor.name(),
                RegistryJson.write(spec.lineage())}));
        state = null;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("version", String.valueOf(version));
        details.put("source", source);
        governance.audit("model.version.create", Securable.model(name), "ALLOWED", details);
        Model after = model(name);
        return toVersion(after, versionRow(after, version));
    }

    private void awaitModel(String name) {
        long deadline = System.nanoTime() + NAME_LEASE.toNanos();
        while (!state(true).byName.containsKey(name) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Path modelFileIn(Path dir) {
        for (String candidate : List.of("model.json", "model.ubj", "model.ubjson", "model.xgb")) {
            if (Files.isRegularFile(dir.resolve(candidate))) {
                return dir.resolve(candidate);
            }
        }
        throw new NotFoundException("Folder " + dir + " holds no model file (model.json or model.ubj).");
    }

    private static byte[] readModel(Path file) {
        try {
            if (Files.size(file) > Predictor.MAX_MODEL_BYTES) {
                throw new InvalidArgumentException("Model file " + file + " is larger than 2 GiB.");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("Model file " + file + " does not exist.", e);
        } catch (IOException e) {
            throw new StorageException("Cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void checkSignature(String name, Signature signature, VersionSpec spec) {
        List<String> actual = signature.features().stream().map(Feature::name).toList();
        if (!spec.expectedFeatures().isEmpty() && !spec.expectedFeatures().equals(actual)) {
            List<String> missing = new ArrayList<>(spec.expectedFeatures());
            missing.removeAll(actual);
            List<String> extra = new ArrayList<>(actual);
            extra.removeAll(spec.expectedFeatures());
            throw new SchemaMismatchException("The model registered as " + name + " has features " + actual + " but " + spec.expectedFeatures()
                    + " were expected" + (missing.isEmpty() && extra.isEmpty() ? " (same names, other order)"
                            : " (missing " + missing + ", unexpected " + extra + ")") + ". Nothing was registered.");
        }
        if (!spec.inputExample().isEmpty()) {
            FeatureRow row = new FeatureRow(signature);
            try {
                spec.inputExample().forEach(row::set);
            } catch (KilnException e) {
                throw new SchemaMismatchException("The input example does not fit model " + name + "'s features " + actual + ": "
                        + e.getMessage() + " Nothing was registered.", e);
            }
        }
    }

    private Path writeArtifact(String name, long version, byte[] bytes, String originalName) {
        String fileName = originalName.endsWith(".ubj") || originalName.endsWith(".ubjson") || (bytes.length > 0 && bytes[0] != '{')
                ? "model.ubj" : "model.json";
        Path models = root.resolve("artifacts").resolve("models").resolve(name);
        try {
            Files.createDirectories(models);
            Path dir = models.resolve(Long.toString(version));
            try {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                // left by a model of the same name that was renamed or deleted: keep both
                dir = Files.createTempDirectory(models, version + "-");
            }
            Path tmp = Files.createTempFile(dir, ".model", ".tmp");
            Files.write(tmp, bytes);
            Path target = dir.resolve(fileName);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            target.toFile().setReadOnly();
            return target;
        } catch (IOException e) {
            throw new StorageException("Cannot store model " + name + " version " + version + " under " + models + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ModelVersion version(String name, long version) {
        Model m = model(name);
        requireRead(m.name);
        return toVersion(m, versionRow(m, version));
    }

    @Override
    public List<ModelVersion> versions(String name) {
        Model m = model(name);
        requireRead(m.name);
        return m.versions.values().stream().map(v -> toVersion(m, v)).toList();
    }

    @Override
    public ModelVersion resolve(String uri) {
        ModelUri u = ModelUri.parse(uri);
        if (u.kind() == ModelUri.Kind.RUN) {
            throw new InvalidArgumentException(uri + " is a run artifact, not a registered version: register it first, "
                    + "or load it directly with load(\"" + uri + "\").");
        }
        Model m = model(u.name());
        requireRead(m.name);
        return toVersion(m, versionRow(m, versionOf(m, u)));
    }

    @Override
    public void setVersionDescription(String name, long version, String description) {
        Model m = model(name);
        governance.check(Privilege.MODIFY, Securable.model(m.name), "model.version.describe");
        versionRow(m, version);
        appendEvents(List.<Object[]>of(event(m.id, m.name, "VERSION_DESCRIBE", version, null, description == null ? "" : description)));
        governance.audit("model.version.describe", Securable.model(m.name), "ALLOWED", Map.of("version", String.valueOf(version)));
    }

    @Override
    public void setVersionTag(String name, long version, String key, String value) {
        Model m = model(name);
        governance.check(Privilege.APPLY_TAG, Securable.model(m.name), "model.version.tag.set");
        versionRow(m, version);
        appendEvents(List.<Object[]>of(event(m.id, m.name, "VERSION_TAG_SET", version, checkTagKey(key), value)));
        governance.audit("model.version.tag.set", Securable.model(m.name), "ALLOWED",
                Map.of("version", String.valueOf(version), "key", key, "value", String.valueOf(value)));
    }

    @Override
    public void removeVersionTag(String name, long version, String key) {
        Model m = model(name);
        governance.check(Privilege.APPLY_TAG, Securable.model(m.name), "model.version.tag.remove");
        versionRow(m, version);
        appendEvents(List.<Object[]>of(event(m.id, m.name, "VERSION_TAG_DELETE", version, key, null)));
        governance.audit("model.version.tag.remove", Securable.model(m.name), "ALLOWED", Map.of("version", String.valueOf(version), "key", key));
    }

    // ------------------------------------------------------------------ aliases and stages

    @Override
    public void setAlias(String name, String alias, long version) {
        ModelUri.checkAlias(alias);
        Model m = model(name);
        Securable securable = Securable.model(m.name);
        governance.check(Privilege.MANAGE, securable, "model.alias.set");
        versionRow(m, version);
        Long previous = m.aliases.get(alias);
        appendEvents(List.<Object[]>of(event(m.id, m.name, "ALIAS_SET", version, alias, null)));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("alias", alias);
        details.put("version", String.valueOf(version));
        if (previous != null) {
            details.put("previous", String.valueOf(previous));
        }
        governance.audit("model.alias.set", securable, "ALLOWED", details);
    }

    @Override
    public void removeAlias(String name, String alias) {
        Model m = model(name);
        Securable securable = Securable.model(m.name);
        governance.check(Privilege.MANAGE, securable, "model.alias.remove");
        Long previous = m.aliases.get(alias);
        if (previous == null) {
            throw new NotFoundException("Model " + name + " has no alias '" + alias + "' (aliases: " + m.aliases.keySet() + ").");
        }
        appendEvents(List.<Object[]>of(event(m.id, m.name, "ALIAS_DELETE", null, alias, null)));
        governance.audit("model.alias.remove", securable, "ALLOWED", Map.of("alias", alias, "previous", String.valueOf(previous)));
    }

    @Override
    public void transitionStage(String name, long version, Stage stage) {
        Model m = model(name);
        governance.check(Privilege.MANAGE, Securable.model(m.name), "model.stage");
        versionRow(m, version);
        for (Stage s : List.of(Stage.STAGING, Stage.PRODUCTION)) {
            if (s != stage && Long.valueOf(version).equals(m.aliases.get(s.alias()))) {
                removeAlias(name, s.alias());
            }
        }
        Map<String, String> tags = versionTags(m, version);
        if (stage == Stage.ARCHIVED) {
            setVersionTag(name, version, "kiln.stage", "Archived");
        } else if (tags.containsKey("kiln.stage")) {
            removeVersionTag(name, version, "kiln.stage");
        }
        if (stage.alias() != null) {
            setAlias(name, stage.alias(), version);
        }
    }

    @Override
    public Stage stage(String name, long version) {
        Model m = model(name);
        requireRead(m.name);
        versionRow(m, version);
        if (Long.valueOf(version).equals(m.aliases.get(Stage.PRODUCTION.alias()))) {
            return Stage.PRODUCTION;
        }
        if (Long.valueOf(version).equals(m.aliases.get(Stage.STAGING.alias()))) {
            return Stage.STAGING;
        }
        return "Archived".equals(versionTags(m, version).get("kiln.stage")) ? Stage.ARCHIVED : Stage.NONE;
    }

    // ------------------------------------------------------------------ loading and following

    @Override
    public Predictor load(String uri, PredictorOptions options) {
        ModelUri u = ModelUri.parse(uri);
        if (u.kind() == ModelUri.Kind.RUN) {
            checkRunRead(u, "model.load");
            Path file = runArtifacts.resolve(u.runId(), u.path());
            Path model = Files.isDirectory(file) ? modelFileIn(file) : file;
            return cache.get(u + "|" + options, k -> load(readModel(model)).withOptions(options));
        }
        Model m = model(u.name());
        governance.check(Privilege.EXECUTE, Securable.model(m.name), "model.load");
        if (u.kind() == ModelUri.Kind.VERSION) {
            VersionRow row = versionRow(m, u.version());
            return cache.get(m.id + "/" + row.version() + "|" + options, k -> loadVersion(row, options));
        }
        long version = versionOf(m, u);
        VersionRow row = versionRow(m, version);
        return cache.get(u + "|" + options, k -> follow(u, options, new AliasPredictor.Pinned(version, loadVersion(row, options))));
    }

    private Predictor loadVersion(VersionRow row, PredictorOptions options) {
        return load(readModel(root.resolve(row.artifact()))).withOptions(options);
    }

    private Predictor load(byte[] bytes) {
        Function<byte[], Predictor> l = loader;
        if (l == null) {
            PredictorProvider provider = PredictorProvider.find();
            l = b -> provider.load(b, PredictorOptions.defaults());
            loader = l;
        }
        return l.apply(bytes);
    }

    private synchronized FollowingPredictor follow(ModelUri uri, PredictorOptions options, AliasPredictor.Pinned first) {
        if (closed) {
            throw new InvalidArgumentException("The workspace is closed.");
        }
        FollowingPredictor p = new FollowingPredictor(uri, options, first);
        followers.add(p);
        if (follower == null) {
            follower = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kiln-model-follow");
                t.setDaemon(true);
                return t;
            });
            long millis = Math.max(1, followInterval.toMillis());
            follower.scheduleWithFixedDelay(this::refreshFollowers, millis, millis, TimeUnit.MILLISECONDS);
        }
        return p;
    }

    /** Checks every followed alias once; loads and swaps in the versions that moved. */
    void refreshFollowers() {
        List<FollowingPredictor> all;
        synchronized (this) {
            all = new ArrayList<>(followers);
        }
        if (all.isEmpty()) {
            return;
        }
        RegistryState s;
        try {
            s = state(true);
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the model registry to follow aliases; serving the current versions: {}", e.getMessage());
            return;
        }
        for (FollowingPredictor p : all) {
            try {
                Model m = s.byName.get(p.uri().name());
                Long target = m == null ? null : m.aliases.get(p.uri().alias());
                if (target == null || target == p.version()) {
                    continue;
                }
                VersionRow row = m.versions.get(target);
                if (row == null) {
                    continue;
                }
                Predictor next = loadVersion(row, p.options());
                p.swap(new AliasPredictor.Pinned(target, next));
                LOG.info("{} now serves version {}", p.uri(), target);
            } catch (RuntimeException e) {
                LOG.warn("Cannot load the new version of {}; still serving version {}: {}", p.uri(), p.version(), e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ lineage

    @Override
    public LineageGraph lineage(String uri) {
        ModelVersion v = resolve(uri);
        LineageGraph.Node root = new LineageGraph.Node(LineageGraph.NodeType.MODEL_VERSION, v.modelName(), v.version());
        LineageGraph.Builder g = new LineageGraph.Builder(root, true);
        addUpstream(g, v.modelName(), v.version(), v.runId(), v.lineage());
        return g.build();
    }

    private static void addUpstream(LineageGraph.Builder g, String model, long version, String runId, TrainingLineage l) {
        LineageGraph.Node target = new LineageGraph.Node(LineageGraph.NodeType.MODEL_VERSION, model, version);
        if (runId != null) {
            LineageGraph.Node run = new LineageGraph.Node(LineageGraph.NodeType.RUN, runId, -1);
            g.edge(run, target);
            target = run;
        }
        if (l.trainingSet() != null) {
            LineageGraph.Node ts = new LineageGraph.Node(LineageGraph.NodeType.TRAINING_SET, l.trainingSet(), -1);
            g.edge(ts, target);
            target = ts;
        }
        if (l.spine() != null) {
            g.edge(new LineageGraph.Node(LineageGraph.NodeType.SPINE, l.spine().name(), l.spine().version()), target);
        }
        for (FeatureTableLineage ft : l.featureTables()) {
            LineageGraph.Node f = new LineageGraph.Node(LineageGraph.NodeType.FEATURE_TABLE, ft.table().name(), ft.table().version());
            g.edge(f, target);
            for (TableRef src : ft.sources()) {
                g.edge(new LineageGraph.Node(LineageGraph.NodeType.TABLE, src.name(), src.version()), f);
            }
        }
        for (TableRef t : l.tables()) {
            g.edge(new LineageGraph.Node(LineageGraph.NodeType.TABLE, t.name(), t.version()), target);
        }
    }

    @Override
    public LineageGraph downstream(String table) {
        String t = table.toLowerCase(java.util.Locale.ROOT);
        LineageGraph.Node root = new LineageGraph.Node(LineageGraph.NodeType.TABLE, t, -1);
        LineageGraph.Builder g = new LineageGraph.Builder(root, false);
        for (ModelVersion v : versionsUsing(t)) {
            LineageGraph.Builder up = new LineageGraph.Builder(
                    new LineageGraph.Node(LineageGraph.NodeType.MODEL_VERSION, v.modelName(), v.version()), true);
            addUpstream(up, v.modelName(), v.version(), v.runId(), v.lineage());
            LineageGraph full = up.build();
            // keep only the paths that start at the table
            List<LineageGraph.Node> frontier = new ArrayList<>(full.nodes().stream().filter(n -> n.name().equalsIgnoreCase(t)
                    && n.type() != LineageGraph.NodeType.MODEL_VERSION && n.type() != LineageGraph.NodeType.RUN).toList());
            for (LineageGraph.Node start : frontier) {
                g.edge(root, start);
            }
            while (!frontier.isEmpty()) {
                LineageGraph.Node n = frontier.remove(0);
                for (LineageGraph.Node next : full.outputsOf(n)) {
                    g.edge(n, next);
                    frontier.add(next);
                }
            }
        }
        return g.build();
    }

    @Override
    public List<ModelVersion> versionsUsing(String table) {
        String t = table.toLowerCase(java.util.Locale.ROOT);
        List<ModelVersion> out = new ArrayList<>();
        for (Model m : state(true).byName.values()) {
            if (!canRead(m.name)) {
                continue;
            }
            for (VersionRow row : m.versions.values()) {
                TrainingLineage l = RegistryJson.lineage(row.lineage());
                if (uses(l, t)) {
                    out.add(toVersion(m, row));
                }
            }
        }
        return out;
    }

    private static boolean uses(TrainingLineage l, String t) {
        if (l.spine() != null && l.spine().name().equalsIgnoreCase(t)) {
            return true;
        }
        for (FeatureTableLineage ft : l.featureTables()) {
            if (ft.table().name().equalsIgnoreCase(t) || ft.sources().stream().anyMatch(s -> s.name().equalsIgnoreCase(t))) {
                return true;
            }
        }
        return l.tables().stream().anyMatch(s -> s.name().equalsIgnoreCase(t));
    }

    private static List<Object[]> lineageRows(Instant now, String id, String model, long version, String runId, TrainingLineage l) {
        List<Object[]> rows = new ArrayList<>();
        if (runId != null) {
            rows.add(new Object[] {now, id, model, version, "RUN", runId, null, null});
        }
        if (l.trainingSet() != null) {
            rows.add(new Object[] {now, id, model, version, "TRAINING_SET", l.trainingSet(), null, null});
        }
        if (l.spine() != null) {
            rows.add(new Object[] {now, id, model, version, "SPINE", l.spine().name(), l.spine().version(), null});
        }
        for (FeatureTableLineage ft : l.featureTables()) {
            rows.add(new Object[] {now, id, model, version, "FEATURE_TABLE", ft.table().name(), ft.table().version(), null});
            for (TableRef src : ft.sources()) {
                rows.add(new Object[] {now, id, model, version, "SOURCE_TABLE", src.name(), src.version(), ft.table().name()});
            }
        }
        for (TableRef t : l.tables()) {
            rows.add(new Object[] {now, id, model, version, "TABLE", t.name(), t.version(), null});
        }
        return rows;
    }

    // ------------------------------------------------------------------ claims

    /** Claims a model name for a create or rename; returns the claim key to record with the event. */
    private String claimName(String name, String action) {
        RegistryState s = state(true);
        if (s.byName.containsKey(name)) {
            governance.audit(action, Securable.model(name), "FAILED", Map.of("error", "already exists"));
            throw new AlreadyExistsException("A model named " + name + " already exists; choose another name or register a version of it.");
        }
        List<Claim> claims = claims(system.table(CLAIMS, CLAIM_COLUMNS).latest(), "n/" + name + "/");
        long seq = 0;
        Claim last = null;
        for (Claim c : claims) {
            long n = Long.parseLong(c.key().substring(c.key().lastIndexOf('/') + 1));
            if (n > seq) {
                seq = n;
                last = c;
            }
        }
        if (last != null && !s.usedClaims.contains(last.key()) && last.time().plus(NAME_LEASE).isAfter(Instant.now())) {
            throw new ConflictException("Model " + name + " is being created or renamed to by " + last.principal()
                    + " right now; retry in a moment.");
        }
        String key = "n/" + name + "/" + (seq + 1);
        if (!claim(key)) {
            throw new AlreadyExistsException("A model named " + name + " was created by another process at the same moment.");
        }
        return key;
    }

    /** Claims the next free version number of a model. */
    private long claimVersion(Model m) {
        Table claims = system.table(CLAIMS, CLAIM_COLUMNS);
        String prefix = "v/" + m.id + "/";
        long next = 0;
        for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
            long max = m.latestVersion();
            for (Claim c : claims(claims.latest(), prefix)) {
                max = Math.max(max, Long.parseLong(c.key().substring(prefix.length())));
            }
            next = Math.max(next, max) + 1;
            if (claim(prefix + next)) {
                return next;
            }
        }
        throw new ConflictException("Could not claim a version number of model " + m.name + " after " + MAX_CLAIM_ATTEMPTS
                + " attempts (too many concurrent registrations); retry.");
    }

    record Claim(Instant time, String key, String id, String principal) {
    }

    /** Appends a claim and tells whether it won: no claim with the same key precedes its commit. */
    private boolean claim(String key) {
        Table claims = system.table(CLAIMS, CLAIM_COLUMNS);
        String id = UUID.randomUUID().toString();
        CommitInfo commit = append(claims, List.<Object[]>of(new Object[] {now(), key, id, actor.name()}));
        if (commit.version() == 0) {
            return true;
        }
        Snapshot before = claims.asOfVersion(commit.version() - 1);
        return before.scan().filter("claim_key = '" + key.replace("'", "''") + "'").count() == 0;
    }

    private static List<Claim> claims(Snapshot snapshot, String prefix) {
        List<Claim> out = new ArrayList<>();
        try (Rows rows = snapshot.scan().filter("starts_with(claim_key, '" + prefix.replace("'", "''") + "')").rows()) {
            while (rows.next()) {
                out.add(new Claim((Instant) rows.get(0), (String) rows.get(1), (String) rows.get(2), (String) rows.get(3)));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ state

    private Object[] event(String modelId, String modelName, String action, Long version, String key, String value) {
        return new Object[] {now(), UUID.randomUUID().toString(), modelId, modelName, action, version, key, value, actor.name()};
    }

    /** Microsecond time, strictly increasing in this JVM so that one process's events keep their order. */
    static Instant now() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        long t = LAST_MICROS.updateAndGet(last -> Math.max(last + 1, micros));
        return Instant.EPOCH.plus(t, ChronoUnit.MICROS);
    }

    private void appendEvents(List<Object[]> rows) {
        CommitInfo commit = append(system.table(EVENTS, EVENT_COLUMNS), rows);
        synchronized (this) {
            RegistryState s = state;
            if (s != null && commit.version() == s.eventsVersion + 1 && commit.version() % COMPACT_EVERY != 0) {
                // nobody else committed in between: apply our rows instead of reading the table again
                List<Event> added = new ArrayList<>();
                for (Object[] r : rows) {
                    added.add(new Event((Instant) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4], (Long) r[5],
                            (String) r[6], (String) r[7], (String) r[8]));
                }
                state = s.withEvents(commit.version(), added);
            } else {
                state = null;
            }
        }
    }

    /**
     * Appends rows; every {@value #COMPACT_EVERY} commits, compacts the table's small files so that
     * replaying it stays fast (a compaction losing a race with another one is skipped).
     */
    private static CommitInfo append(Table table, List<Object[]> rows) {
        CommitInfo commit = table.append(WriteSource.values(rows));
        if (commit.version() % COMPACT_EVERY == 0) {
            try {
                table.optimize();
            } catch (KilnException e) {
                LOG.debug("Compaction of {} skipped: {}", table.name(), e.getMessage());
            }
        }
        return commit;
    }

    private static String checkTagKey(String key) {
        if (key == null || key.isBlank() || key.length() > 250) {
            throw new InvalidArgumentException("A tag key must be 1 to 250 characters, was '" + key + "'.");
        }
        return key;
    }

    /** The state, re-read if either table has a new version (always checked unless {@code fresh} is false). */
    RegistryState state(boolean fresh) {
        RegistryState current = state;
        if (current != null && !fresh) {
            return current;
        }
        synchronized (this) {
            Snapshot events = system.table(EVENTS, EVENT_COLUMNS).latest();
            Snapshot versions = system.table(VERSIONS, VERSION_COLUMNS).latest();
            current = state;
            if (current != null && current.eventsVersion == events.version() && current.versionsVersion == versions.version()) {
                return current;
            }
            List<Event> eventRows = new ArrayList<>();
            try (Rows rows = events.scan().rows()) {
                while (rows.next()) {
                    eventRows.add(new Event((Instant) rows.get(0), (String) rows.get(1), (String) rows.get(2), (String) rows.get(3),
                            (String) rows.get(4), (Long) rows.get(5), (String) rows.get(6), (String) rows.get(7), (String) rows.get(8)));
                }
            }
            List<VersionRow> versionRows = new ArrayList<>();
            try (Rows rows = versions.scan().rows()) {
                while (rows.next()) {
                    versionRows.add(new VersionRow((Instant) rows.get(0), (String) rows.get(1), (String) rows.get(2), (Long) rows.get(3),
                            (String) rows.get(4), (String) rows.get(5), (String) rows.get(6), (String) rows.get(7), (String) rows.get(8),
                            (String) rows.get(9), (String) rows.get(10), (String) rows.get(11), (String) rows.get(12)));
                }
            }
            current = new RegistryState(events.version(), versions.version(), eventRows, versionRows);
            state = current;
            return current;
        }
    }

    private Model model(String name) {
        if (name == null) {
            throw new InvalidArgumentException("A model name is needed.");
        }
        Model m = state(true).byName.get(name);
        if (m == null) {
            throw new NotFoundException("There is no registered model named " + name + ". List them with `kiln models list` "
                    + "or ModelRegistry.list().");
        }
        return m;
    }

    private static VersionRow versionRow(Model m, long version) {
        VersionRow row = m.versions.get(version);
        if (row == null) {
            throw new NotFoundException("Model " + m.name + " has no version " + version + " (latest is " + m.latestVersion() + ").");
        }
        return row;
    }

    private static long versionOf(Model m, ModelUri u) {
        if (u.kind() == ModelUri.Kind.VERSION) {
            return u.version();
        }
        Long v = m.aliases.get(u.alias());
        if (v == null) {
            throw new NotFoundException("Model " + m.name + " has no alias '" + u.alias() + "' (aliases: " + m.aliases.keySet()
                    + "). Set it with setAlias or `kiln models alias set " + m.name + " " + u.alias() + " VERSION`.");
        }
        return v;
    }

    private boolean canRead(String name) {
        Securable s = Securable.model(name);
        return governance.isAllowed(actor, Privilege.READ, s) || governance.isAllowed(actor, Privilege.EXECUTE, s);
    }

    private void requireRead(String name) {
        if (!canRead(name)) {
            governance.check(Privilege.READ, Securable.model(name), "model.read");
        }
    }

    private static RegisteredModel describe(Model m) {
        return new RegisteredModel(m.id, m.name, m.description, m.tags, m.aliases, m.latestVersion(), m.creator, m.createdAt, m.updatedAt);
    }

    private static Map<String, String> versionTags(Model m, long version) {
        Map<String, String> tags = new HashMap<>(RegistryJson.stringMap(m.versions.get(version).tags()));
        m.versionTags.getOrDefault(version, Map.of()).forEach((k, v) -> {
            if (v == null) {
                tags.remove(k);
            } else {
                tags.put(k, v);
            }
        });
        return tags;
    }

    private ModelVersion toVersion(Model m, VersionRow row) {
        long v = row.version();
        String description = m.versionDescriptions.getOrDefault(v, row.description());
        return new ModelVersion(m.name, v, row.source(), row.runId(), root.resolve(row.artifact()), RegistryJson.signature(row.signature()),
                RegistryJson.objectMap(row.inputExample()), description, versionTags(m, v), m.aliasesOf(v), Principal.of(row.creator()),
                row.time(), RegistryJson.lineage(row.lineage()));
    }

    @Override
    public void close() {
        ScheduledExecutorService f;
        synchronized (this) {
            closed = true;
            f = follower;
            follower = null;
            followers.clear();
        }
        if (f != null) {
            f.shutdownNow();
        }
        cache.invalidateAll();
    }
}
