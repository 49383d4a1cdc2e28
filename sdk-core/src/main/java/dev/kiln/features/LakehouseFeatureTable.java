package dev.kiln.features;

import dev.kiln.KilnException;
import dev.kiln.governance.Privilege;
import dev.kiln.lakehouse.CommitInfo;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.MergeSpec;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.WriteSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** A feature table over a lakehouse table. */
final class LakehouseFeatureTable implements FeatureTable {
    private final FeatureTableDefinition definition;
    private final Table table;
    private final FeatureAccess access;

    LakehouseFeatureTable(FeatureTableDefinition definition, Table table, FeatureAccess access) {
        this.definition = definition;
        this.table = table;
        this.access = access;
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public FeatureTableDefinition definition() {
        return definition;
    }

    @Override
    public List<String> features() {
        return features(definition, table.latest().schema().fields());
    }

    static List<String> features(FeatureTableDefinition definition, List<Field> fields) {
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            boolean reserved = false;
            for (String r : definition.reservedColumns()) {
                reserved |= r.equalsIgnoreCase(f.name());
            }
            if (!reserved) {
                out.add(f.name());
            }
        }
        return out;
    }

    @Override
    public Table table() {
        return table;
    }

    @Override
    public CommitInfo append(WriteSource source) {
        return write("feature_table.append", () -> table.append(source));
    }

    /** Checks MODIFY under the feature table's name first, so a refusal writes nothing and is audited as a feature-store action. */
    private CommitInfo write(String action, Supplier<CommitInfo> operation) {
        access.check(Privilege.MODIFY, definition.name(), action);
        try {
            CommitInfo commit = operation.get();
            access.allowed(action, definition.name(), Map.of("version", String.valueOf(commit.version())));
            return commit;
        } catch (KilnException e) {
            access.failed(action, definition.name(), e);
            throw e;
        }
    }

    @Override
    public CommitInfo merge(WriteSource source) {
        List<String> on = new ArrayList<>(definition.primaryKeys());
        on.add(definition.timestampKey());
        return write("feature_table.merge", () -> table.merge(MergeSpec.builder(source, on.toArray(String[]::new))
                .whenMatchedUpdateAll().whenNotMatchedInsertAll().build()));
    }

    @Override
    public String toString() {
        return "FeatureTable[" + definition.name() + "]";
    }
}
