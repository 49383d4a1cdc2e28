package dev.kiln.lakehouse;

import dev.kiln.KilnException;
import dev.kiln.governance.Privilege;
import dev.kiln.governance.Securable;
import dev.kiln.governance.WorkspaceGovernance;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** A table seen through the workspace's grants: reads need READ, writes MODIFY; every write is audited. */
final class GovernedTable implements Table {
    private final Table table;
    private final Securable securable;
    private final WorkspaceGovernance governance;
    private final boolean kilnManaged;

    GovernedTable(Table table, Securable securable, WorkspaceGovernance governance, boolean kilnManaged) {
        this.table = table;
        this.securable = securable;
        this.governance = governance;
        this.kilnManaged = kilnManaged;
    }

    Table unwrap() {
        return table;
    }

    @Override
    public String name() {
        return table.name();
    }

    @Override
    public Path location() {
        return table.location();
    }

    private void read() {
        governance.check(Privilege.READ, securable, "read");
    }

    @Override
    public Snapshot latest() {
        read();
        return table.latest();
    }

    @Override
    public Snapshot asOfVersion(long version) {
        read();
        return table.asOfVersion(version);
    }

    @Override
    public Snapshot asOfTimestamp(Instant timestamp) {
        read();
        return table.asOfTimestamp(timestamp);
    }

    @Override
    public List<CommitInfo> history() {
        read();
        return table.history();
    }

    private CommitInfo write(String action, Supplier<CommitInfo> operation) {
        if (kilnManaged) {
            governance.audit("table." + action, securable, "DENIED", Map.of("reason", "managed by Kiln"));
            throw new dev.kiln.PermissionDeniedException(governance.actor() + " may not " + action + " " + securable
                    + ": it is kept by Kiln itself (grants and audit change only through kiln.governance()).");
        }
        governance.check(Privilege.MODIFY, securable, action);
        try {
            CommitInfo commit = operation.get();
            governance.audit("table." + action, securable, "ALLOWED", Map.of("version", String.valueOf(commit.version())));
            return commit;
        } catch (KilnException e) {
            governance.audit("table." + action, securable, "FAILED", Map.of("error", String.valueOf(e.getMessage())));
            throw e;
        }
    }

    @Override
    public CommitInfo write(WriteSource source, WriteOptions options) {
        return write(options.mode() == WriteMode.APPEND ? "append" : "overwrite", () -> table.write(source, options));
    }

    @Override
    public CommitInfo delete(String sqlCondition) {
        return write("delete", () -> table.delete(sqlCondition));
    }

    @Override
    public CommitInfo update(String sqlCondition, Map<String, String> assignments) {
        return write("update", () -> table.update(sqlCondition, assignments));
    }

    @Override
    public CommitInfo merge(MergeSpec spec) {
        return write("merge", () -> table.merge(spec));
    }

    @Override
    public CommitInfo optimize() {
        return write("optimize", table::optimize);
    }

    @Override
    public VacuumResult vacuum(Duration retention, boolean force) {
        governance.check(Privilege.MODIFY, securable, "vacuum");
        VacuumResult result = table.vacuum(retention, force);
        governance.audit("table.vacuum", securable, "ALLOWED", Map.of("deletedFiles", String.valueOf(result.deletedFiles().size())));
        return result;
    }

    @Override
    public long checkpoint() {
        governance.check(Privilege.MODIFY, securable, "checkpoint");
        return table.checkpoint();
    }

    @Override
    public String toString() {
        return table.toString();
    }
}
