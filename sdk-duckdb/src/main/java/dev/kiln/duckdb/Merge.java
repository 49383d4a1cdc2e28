package dev.kiln.duckdb;

import dev.kiln.InvalidArgumentException;
import dev.kiln.SchemaMismatchException;
import dev.kiln.duckdb.delta.Action;
import dev.kiln.duckdb.delta.AddFile;
import dev.kiln.duckdb.delta.LogSnapshot;
import dev.kiln.duckdb.delta.SnapshotRelation;
import dev.kiln.lakehouse.CommitInfo;
import dev.kiln.lakehouse.DataType;

import dev.kiln.lakehouse.MergeSpec;
import dev.kiln.lakehouse.Schema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An upsert by key, copy-on-write: the files holding a matched key are rewritten with matched rows
 * updated or deleted, and unmatched source rows are added in new files. Target rows whose key no
 * source row has stay where they are unless the spec deletes them.
 */
final class Merge {
    private final DeltaTable table;
    private final MergeSpec spec;

    Merge(DeltaTable table, MergeSpec spec) {
        this.table = table;
        this.spec = spec;
    }

    CommitInfo run() {
        LogSnapshot read = table.readLatest();
        Schema schema = read.schema();
        List<String> keys = new ArrayList<>();
        for (String key : spec.keys()) {
            keys.add(schema.field(key).orElseThrow(() -> new InvalidArgumentException("Merge key '" + key + "' is not a column of "
                    + table.name() + " (columns: " + schema.names() + ").")).name());
        }
        List<AddFile> written = List.of();
        DuckEngine engine = table.engine();
        try (Connection connection = engine.connect()) {
            String staged = stageSource(connection, schema);
            long duplicates = Sql.queryLong(connection, "SELECT count(*) FROM (SELECT " + list(keys, "") + " FROM " + staged
                    + " GROUP BY ALL HAVING count(*) > 1)");
            if (duplicates > 0) {
                throw new InvalidArgumentException("The merge source for " + table.name() + " has " + duplicates
                        + " key(s) " + keys + " that occur more than once; a target row may match only one source row. De-duplicate the source.");
            }
            List<AddFile> touched = new ArrayList<>();
            for (AddFile file : read.files()) {
                if (spec.deleteNotMatchedBySource() || Sql.queryLong(connection, "SELECT count(*) FROM (" + SnapshotRelation.sql(engine, read,
                        List.of(file)) + ") AS target SEMI JOIN " + staged + " AS source ON " + on(keys)) > 0) {
                    touched.add(file);
                }
            }
            String targetRelation = SnapshotRelation.sql(engine, read, touched);
            StringBuilder select = new StringBuilder();
            long inserted = spec.insertNotMatched() ? Sql.queryLong(connection, "SELECT count(*) FROM " + staged
                    + " AS source ANTI JOIN (" + targetRelation + ") AS target ON " + on(keys)) : 0;
            if (!touched.isEmpty()) {
                select.append("SELECT ");
                for (int i = 0; i < schema.fields().size(); i++) {
                    String q = DuckEngine.quote(schema.fields().get(i).name());
                    select.append(i == 0 ? "" : ", ");
                    if (spec.updateMatched()) {
                        select.append("CASE WHEN source.\"__kiln_matched\" THEN source.").append(q).append(" ELSE target.").append(q)
                                .append(" END AS ").append(q);
                    } else {
                        select.append("target.").append(q);
                    }
                }
                select.append(" FROM (").append(targetRelation).append(") AS target LEFT JOIN ").append(staged).append(" AS source ON ")
                        .append(on(keys)).append(" WHERE TRUE");
                if (spec.deleteMatchedWhen() != null) {
                    select.append(" AND NOT (source.\"__kiln_matched\" IS NOT NULL AND coalesce((").append(spec.deleteMatchedWhen())
                            .append("), false))");
                }
                if (spec.deleteNotMatchedBySource()) {
                    select.append(" AND source.\"__kiln_matched\" IS NOT NULL");
                }
            }
            if (inserted > 0) {
                select.append(select.isEmpty() ? "" : " UNION ALL ").append("SELECT ").append(list(schema.names(), "source."))
                        .append(" FROM ").append(staged).append(" AS source ANTI JOIN (").append(targetRelation).append(") AS target ON ")
                        .append(on(keys));
            }
            List<Action> actions = new ArrayList<>();
            Set<String> readPaths = new HashSet<>();
            if (!select.isEmpty()) {
                written = table.writeFiles(connection, select.toString(), read, schema, true);
                actions.addAll(written);
                long now = System.currentTimeMillis();
                for (AddFile file : touched) {
                    actions.add(DeltaTable.remove(file, now, true));
                    readPaths.add(file.path());
                }
            }
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("predicate", on(keys));
            parameters.put("matchedPredicates", spec.updateMatched() ? "[{\"actionType\":\"update\"}]" : "[]");
            parameters.put("notMatchedPredicates", spec.insertNotMatched() ? "[{\"actionType\":\"insert\"}]" : "[]");
            Map<String, Long> metrics = Map.of("numTargetRowsInserted", inserted, "numTargetFilesRemoved", (long) touched.size(),
                    "numTargetFilesAdded", (long) written.size());
            return table.commit(read, "MERGE", parameters, metrics, actions, DeltaTable.Kind.REWRITE, readPaths);
        } catch (SQLException e) {
            table.cleanUp(written);
            throw new InvalidArgumentException("Merge into " + table.name() + " failed: " + Sql.message(e) + ". Nothing was written.", e);
        } catch (RuntimeException e) {
            table.cleanUp(written);
            throw e;
        }
    }

    /** Copies the source, fitted to the table's columns, into a temp table with a match marker. */
    private String stageSource(Connection connection, Schema schema) throws SQLException {
        try (Sources.Relation relation = Sources.of(connection, table.engine(), table.storage().relations(), spec.source(), schema,
                table.name())) {
            return stage(connection, schema, relation);
        }
    }

    private String stage(Connection connection, Schema schema, Sources.Relation relation) throws SQLException {
        Map<String, DataType> columns = Sources.describe(connection, relation.sql());
        for (String column : columns.keySet()) {
            if (schema.field(column).isEmpty()) {
                throw new SchemaMismatchException("The merge source has column '" + column + "' that " + table.name()
                        + " lacks (columns: " + schema.names() + "). Drop it from the source or add it to the table first.");
            }
        }
        String name = DuckEngine.quote("kiln_merge_" + UUID.randomUUID().toString().replace('-', '_'));
        Sql.execute(connection, "CREATE TEMP TABLE " + name + " AS SELECT *, TRUE AS \"__kiln_matched\" FROM ("
                + Conformance.select(schema, columns, false, relation.sql(), relation.text(), table.name()) + ")");
        return name;
    }

    private static String on(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (String key : keys) {
            String q = DuckEngine.quote(key);
            sb.append(sb.isEmpty() ? "" : " AND ").append("target.").append(q).append(" = source.").append(q);
        }
        return sb.toString();
    }

    private static String list(List<String> names, String prefix) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(sb.isEmpty() ? "" : ", ").append(prefix).append(DuckEngine.quote(n));
        }
        return sb.toString();
    }

}
