package dev.kiln.lakehouse;

import dev.kiln.AlreadyExistsException;
import dev.kiln.InvalidArgumentException;
import dev.kiln.NotFoundException;
import dev.kiln.StorageException;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.governance.SystemTables;
import dev.kiln.governance.WorkspaceGovernance;
import dev.kiln.spi.CommitContext;
import dev.kiln.spi.RelationResolver;
import dev.kiln.spi.StorageBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The workspace's lakehouse: maps names to folders ({@code root/schema/table}), checks them, and
 * hands table work to the storage backend. Not part of the API: reach it through
 * {@link dev.kiln.Kiln#lakehouse()}.
 */
public final class CatalogLakehouse implements Lakehouse {
    private final Path root;
    private final Supplier<StorageBackend> backend;
    private final CommitContext context;
    private final SqlRelations relations;
    private WorkspaceGovernance governance;

    /**
     * Creates the lakehouse of a workspace.
     *
     * @param root the workspace folder
     * @param backend the storage backend, supplied once the workspace is wired
     * @param context who writes
     */
    public CatalogLakehouse(Path root, Supplier<StorageBackend> backend, CommitContext context) {
        this.root = root;
        this.backend = backend;
        this.context = context;
        this.relations = new SqlRelations(this::tableExists, this::table);
    }

    /**
     * Puts the lakehouse under the workspace's grants; called once while the workspace is wired.
     *
     * @param governance the workspace's governance
     */
    public void govern(WorkspaceGovernance governance) {
        this.governance = governance;
    }

    /** The system schema is Kiln's: its tables are open to every principal except grants and audit. */
    private static boolean isSystem(String schema) {
        return SystemTables.SCHEMA.equalsIgnoreCase(schema);
    }

    private void check(Privilege privilege, Securable securable, String action) {
        if (securable.type() == dev.kiln.governance.SecurableType.SCHEMA && isSystem(securable.name())
                || securable.parent().map(p -> isSystem(p.name())).orElse(false)) {
            return;
        }
        governance.check(privilege, securable, action);
    }

    private void audit(String action, Securable securable, java.util.Map<String, String> details) {
        governance.audit(action, securable, "ALLOWED", details);
    }

    /**
     * Returns the resolver of table names in SQL, for the backend.
     *
     * @return the resolver
     */
    public RelationResolver relations() {
        return relations;
    }

    @Override
    public void createSchema(String name) {
        Path dir = root.resolve(Names.identifier("schema", name));
        if (Files.isDirectory(dir)) {
            throw new AlreadyExistsException("Schema '" + name + "' already exists; use createSchemaIfNotExists or another name.");
        }
        createSchemaIfNotExists(name);
    }

    @Override
    public void createSchemaIfNotExists(String name) {
        String checked = Names.identifier("schema", name);
        Path dir = root.resolve(checked);
        if (Files.isDirectory(dir)) {
            return;
        }
        Securable schema = Securable.schema(checked);
        check(Privilege.CREATE, Securable.CATALOG, "create schema " + checked + " in");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("Cannot create schema '" + name + "' under " + root + ": " + e.getMessage(), e);
        }
        if (!isSystem(checked)) {
            governance.created(schema);
            audit("schema.create", schema, java.util.Map.of());
        }
    }

    @Override
    public List<String> schemas() {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("[a-z_][a-z0-9_]*") && !n.equals("artifacts")).sorted().toList();
        } catch (IOException e) {
            throw new StorageException("Cannot list schemas of " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void dropSchema(String name) {
        Path dir = schemaDir(name);
        check(Privilege.MANAGE, Securable.schema(name), "drop");
        if (!tables(name).isEmpty()) {
            throw new InvalidArgumentException("Schema '" + name + "' still holds tables " + tables(name) + "; drop them first.");
        }
        deleteTree(dir);
        audit("schema.drop", Securable.schema(name), java.util.Map.of());
    }

    @Override
    public Table createTable(TableDefinition definition) {
        Names.TableName name = Names.table(definition.name());
        schemaDir(name.schema());
        Securable securable = Securable.table(name.toString());
        check(Privilege.CREATE, Securable.schema(name.schema()), "create table " + name + " in");
        Path location = name.location(root);
        if (backend.get().isTable(location) || Files.isRegularFile(location.resolve(EXTERNAL_POINTER))) {
            throw new AlreadyExistsException("Table '" + name + "' already exists; drop it first or choose another name.");
        }
        for (Field field : definition.schema().fields()) {
            if (field.name().isBlank() || field.name().chars().anyMatch(ch -> ch < 0x20)) {
                throw new InvalidArgumentException("Column name '" + field.name() + "' of table '" + name + "' is not allowed.");
            }
        }
        Table created = backend.get().createTable(location, definition, context);
        if (!isSystem(name.schema())) {
            governance.created(securable);
            audit("table.create", securable, java.util.Map.of("version", "0"));
        }
        return governed(created, name);
    }

    private Table governed(Table table, Names.TableName name) {
        boolean kilnManaged = isSystem(name.schema()) && (name.table().equals("grants") || name.table().equals("audit"));
        if (isSystem(name.schema()) && !kilnManaged) {
            return table;
        }
        return new GovernedTable(table, Securable.table(name.toString()), governance, kilnManaged);
    }

    /** Marks a name folder whose table lives elsewhere; the file holds the table's absolute path. */
    private static final String EXTERNAL_POINTER = "_kiln_external_location";

    /** Where a named table's files are: its own folder, or the folder it was registered with. */
    private Path locate(Names.TableName name) {
        Path managed = name.location(root);
        Path pointer = managed.resolve(EXTERNAL_POINTER);
        if (Files.isRegularFile(pointer)) {
            try {
                return Path.of(Files.readString(pointer).trim());
            } catch (IOException e) {
                throw new StorageException("Cannot read the location of external table '" + name + "' from " + pointer + ": " + e.getMessage(), e);
            }
        }
        return managed;
    }

    @Override
    public Table registerTable(String name, Path location) {
        Names.TableName checked = Names.table(name);
        Path dir = schemaDir(checked.schema());
        Path absolute = location.toAbsolutePath().normalize();
        if (Files.exists(checked.location(root))) {
            throw new AlreadyExistsException("Table '" + checked + "' already exists; drop it first or choose another name.");
        }
        check(Privilege.CREATE, Securable.schema(checked.schema()), "register table " + checked + " in");
        Table table = tableAt(absolute);
        try {
            Path folder = Files.createDirectories(dir.resolve(checked.table()));
            Path temp = folder.resolve(EXTERNAL_POINTER + ".tmp");
            Files.writeString(temp, absolute.toString());
            Files.move(temp, folder.resolve(EXTERNAL_POINTER), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StorageException("Cannot register table '" + checked + "': " + e.getMessage(), e);
        }
        Securable securable = Securable.table(checked.toString());
        governance.created(securable);
        audit("table.register", securable, java.util.Map.of("location", absolute.toString()));
        return governed(backend.get().openTable(table.location(), checked.toString(), context), checked);
    }

    @Override
    public Table table(String name) {
        Names.TableName checked = Names.table(name);
        Path location = locate(checked);
        if (!backend.get().isTable(location)) {
            throw new NotFoundException("Table '" + checked + "' does not exist; create it with createTable or list tables(\""
                    + checked.schema() + "\").");
        }
        return governed(backend.get().openTable(location, checked.toString(), context), checked);
    }

    @Override
    public boolean tableExists(String name) {
        return backend.get().isTable(locate(Names.table(name)));
    }

    @Override
    public Table tableAt(Path location) {
        if (!backend.get().isTable(location)) {
            throw new NotFoundException("No Delta table at " + location + ": the folder has no _delta_log with a commit or checkpoint.");
        }
        return backend.get().openTable(location, location.toString(), context);
    }

    @Override
    public List<String> tables(String schema) {
        Path dir = schemaDir(schema);
        List<String> names = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(dir)) {
            dirs.filter(p -> backend.get().isTable(p) || Files.isRegularFile(p.resolve(EXTERNAL_POINTER)))
                    .map(p -> p.getFileName().toString()).sorted()
                    .forEach(t -> names.add(schema.toLowerCase(java.util.Locale.ROOT) + "." + t));
        } catch (IOException e) {
            throw new StorageException("Cannot list tables of schema '" + schema + "': " + e.getMessage(), e);
        }
        return names;
    }

    @Override
    public void dropTable(String name) {
        Names.TableName checked = Names.table(name);
        Path managed = checked.location(root);
        Securable securable = Securable.table(checked.toString());
        boolean external = Files.isRegularFile(managed.resolve(EXTERNAL_POINTER));
        if (!external && !backend.get().isTable(managed)) {
            throw new NotFoundException("Table '" + checked + "' does not exist.");
        }
        check(Privilege.MANAGE, securable, "drop");
        // an external table's files belong to whoever wrote them: only the name goes
        deleteTree(managed);
        audit("table.drop", securable, java.util.Map.of("external", String.valueOf(external)));
    }


    @Override
    public Rows sql(String sql) {
        return backend.get().query(sql);
    }

    private Path schemaDir(String schema) {
        Path dir = root.resolve(Names.identifier("schema", schema));
        if (!Files.isDirectory(dir)) {
            throw new NotFoundException("Schema '" + schema + "' does not exist; create it with createSchema(\"" + schema + "\").");
        }
        return dir;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new StorageException("Cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
