package dev.kiln.features;

import dev.kiln.lakehouse.CommitInfo;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.MergeSpec;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.WriteSource;
import java.util.ArrayList;
import java.util.List;

/** A feature table over a lakehouse table. */
final class LakehouseFeatureTable implements FeatureTable {
    private final FeatureTableDefinition definition;
    private final Table table;

    LakehouseFeatureTable(FeatureTableDefinition definition, Table table) {
        this.definition = definition;
        this.table = table;
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
        return table.append(source);
    }

    @Override
    public CommitInfo merge(WriteSource source) {
        List<String> on = new ArrayList<>(definition.primaryKeys());
        on.add(definition.timestampKey());
        return table.merge(MergeSpec.builder(source, on.toArray(String[]::new)).whenMatchedUpdateAll().whenNotMatchedInsertAll().build());
    }

    @Override
    public String toString() {
        return "FeatureTable[" + definition.name() + "]";
    }
}
