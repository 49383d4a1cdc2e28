package dev.kiln.features;

import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Schema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the DuckDB SQL of a point-in-time join (see the rules in the package documentation).
 *
 * <p>Plain lookups: the feature rows are first reduced to one row per (keys, event time) -- the greatest
 * created time, then the greatest values, so the result never depends on file or thread order -- and then
 * joined with {@code ASOF LEFT JOIN} on {@code spine.t >= e}, which finds the greatest {@code e <= t}. A
 * lookback window or exact match is applied to the winner's {@code e} afterwards: if the newest candidate
 * is outside the window, every other candidate is older still.
 *
 * <p>"As known at the time" lookups: a row becomes available at {@code a = max(e, created)}. Rows are
 * ranked per key by (e, created, values); a running maximum of that rank over {@code a} gives, for every
 * availability instant, the winner among the rows available then; {@code ASOF} on {@code a} then picks
 * the state as of the spine time.
 *
 * <p>The spine is numbered in its scan order and the result sorted back into it ({@link #ordered}). That sort is most
 * of the cost of a large training set, and it cannot be made narrower: in DuckDB 2.0 neither a hash join's probe nor a
 * positional join keeps the order of a sorted input in a parallel plan (measured), so the feature values cannot be
 * attached after sorting only the keys. Queries that do not depend on the order (aggregates) use the plan without it.
 */
final class PitPlanner {
    static final String ROW = "__kiln_row";
    static final String T = "__kiln_t";

    private PitPlanner() {
    }

    /** A lookup resolved against its feature table. */
    record Resolved(FeatureLookup lookup, FeatureTableDefinition definition, String relation, Schema tableSchema,
            List<String> features, List<String> outputs, List<String> spineKeys, boolean uniqueKeys) {
    }

    /** The plan with the final sort into spine order; {@code plan} is the same rows in no particular order. */
    static String ordered(String plan) {
        return plan + "\nORDER BY s." + ROW;
    }

    static String plan(String spineSql, Schema spineSchema, String spineTime, List<String> spineOutput, List<Resolved> lookups) {
        DataType spineTimeType = spineSchema.field(spineTime).orElseThrow().type();
        StringBuilder sql = new StringBuilder("WITH __kiln_spine AS (SELECT *, row_number() OVER () AS ").append(ROW).append(", ")
                .append(SqlText.utc("s." + SqlText.quote(spineTime), spineTimeType, "Spine column '" + spineTime + "'"))
                .append(" AS ").append(T).append(" FROM (").append(spineSql).append(") AS s)");
        for (int i = 0; i < lookups.size(); i++) {
            Resolved r = lookups.get(i);
            sql.append(",\n").append(r.lookup().asKnownAtTheTime() ? asKnown(i, r) : plain(i, r));
        }
        sql.append("\nSELECT ");
        boolean first = true;
        for (String column : spineOutput) {
            sql.append(first ? "" : ", ").append("s.").append(SqlText.quote(column));
            first = false;
        }
        for (int i = 0; i < lookups.size(); i++) {
            Resolved r = lookups.get(i);
            String alias = "f" + i;
            for (int j = 0; j < r.features().size(); j++) {
                String value = alias + "." + SqlText.quote(r.features().get(j));
                String guard = guard(alias, r.lookup().lookback());
                sql.append(first ? "" : ", ").append(guard == null ? value : "CASE WHEN " + guard + " THEN " + value + " END")
                        .append(" AS ").append(SqlText.quote(r.outputs().get(j)));
                first = false;
            }
        }
        sql.append("\nFROM __kiln_spine AS s");
        for (int i = 0; i < lookups.size(); i++) {
            Resolved r = lookups.get(i);
            String alias = "f" + i;
            sql.append("\nASOF LEFT JOIN __kiln_f").append(i).append(" AS ").append(alias).append(" ON ");
            for (int k = 0; k < r.spineKeys().size(); k++) {
                sql.append("s.").append(SqlText.quote(r.spineKeys().get(k))).append(" = ").append(alias).append(".__kiln_k").append(k)
                        .append(" AND ");
            }
            sql.append("s.").append(T).append(" >= ").append(alias).append(r.lookup().asKnownAtTheTime() ? ".__kiln_a" : ".__kiln_e");
        }
        return sql.toString();
    }

    /** The condition a winner must meet under the lookback, or null for none. */
    private static String guard(String alias, Lookback lookback) {
        if (lookback instanceof Lookback.Window w) {
            return alias + ".__kiln_e >= s." + T + " - to_microseconds(" + micros(w.duration()) + ")";
        }
        if (lookback instanceof Lookback.ExactMatch) {
            return alias + ".__kiln_e = s." + T;
        }
        return null;
    }

    private static long micros(Duration d) {
        return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1_000L);
    }

    private static String keyColumns(Resolved r) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < r.definition().primaryKeys().size(); k++) {
            sb.append(k == 0 ? "" : ", ").append(SqlText.quote(r.definition().primaryKeys().get(k))).append(" AS __kiln_k").append(k);
        }
        return sb.toString();
    }

    private static String keyAliases(Resolved r) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < r.definition().primaryKeys().size(); k++) {
            sb.append(k == 0 ? "" : ", ").append("__kiln_k").append(k);
        }
        return sb.toString();
    }

    private static String time(Resolved r, String column, String role) {
        DataType type = r.tableSchema().field(column).orElseThrow().type();
        return SqlText.utc(SqlText.quote(column), type, role + " column '" + column + "' of " + r.definition().name());
    }

    /** The value columns that break ties, in order: every orderable feature of the table. */
    private static List<String> tieBreak(Resolved r) {
        List<String> out = new ArrayList<>();
        List<String> all = LakehouseFeatureTable.features(r.definition(), r.tableSchema().fields());
        for (String f : all) {
            Field field = r.tableSchema().field(f).orElseThrow();
            if (SqlText.orderable(field.type())) {
                out.add(field.name());
            }
        }
        return out;
    }

    private static String plain(int i, Resolved r) {
        String created = r.definition().createdColumn();
        StringBuilder order = new StringBuilder();
        if (created != null) {
            order.append(time(r, created, "Created-time")).append(" DESC NULLS LAST");
        }
        for (String f : tieBreak(r)) {
            order.append(order.isEmpty() ? "" : ", ").append(SqlText.quote(f)).append(" DESC NULLS LAST");
        }
        String e = time(r, r.definition().timestampKey(), "Event-time");
        StringBuilder sb = new StringBuilder("__kiln_f").append(i).append(" AS (SELECT ").append(keyAliases(r)).append(", __kiln_e");
        sb.append(r.features().isEmpty() ? "" : ", ").append(SqlText.list(r.features(), ""));
        sb.append(" FROM (SELECT ").append(keyColumns(r)).append(", ").append(e).append(" AS __kiln_e");
        sb.append(r.features().isEmpty() ? "" : ", ").append(SqlText.list(r.features(), ""));
        if (!order.isEmpty() && !r.uniqueKeys()) {
            // a created-time or value tie-break needs the whole row: rank within (keys, e)
            sb.append(", row_number() OVER (PARTITION BY ").append(keyAliasesOf(r)).append(", ").append(e)
                    .append(" ORDER BY ").append(order).append(") AS __kiln_rank");
        } else {
            sb.append(", 1 AS __kiln_rank");
        }
        sb.append(" FROM ").append(r.relation()).append(" AS ft WHERE ").append(e).append(" IS NOT NULL) AS d WHERE __kiln_rank = 1)");
        return sb.toString();
    }

    private static String keyAliasesOf(Resolved r) {
        return SqlText.list(r.definition().primaryKeys(), "");
    }

    private static String asKnown(int i, Resolved r) {
        String created = r.definition().createdColumn();
        String e = time(r, r.definition().timestampKey(), "Event-time");
        String c = created == null ? "NULL::TIMESTAMPTZ" : time(r, created, "Created-time");
        StringBuilder rank = new StringBuilder(keyAliases(r)).append(", __kiln_e ASC, __kiln_c ASC NULLS FIRST");
        for (String f : tieBreak(r)) {
            rank.append(", ").append(SqlText.quote(f)).append(" ASC NULLS FIRST");
        }
        String features = r.features().isEmpty() ? "" : ", " + SqlText.list(r.features(), "");
        String p = "__kiln_f" + i;
        return p + "_raw AS (SELECT " + keyColumns(r) + ", " + e + " AS __kiln_e, " + c + " AS __kiln_c, greatest(" + e + ", coalesce(" + c
                + ", " + e + ")) AS __kiln_a" + features + (tieBreakExtra(r)) + " FROM " + r.relation() + " AS ft WHERE " + e + " IS NOT NULL),\n"
                + p + "_rank AS (SELECT *, row_number() OVER (ORDER BY " + rank + ") AS __kiln_rid FROM " + p + "_raw),\n"
                + p + "_best AS (SELECT DISTINCT " + keyAliases(r) + ", __kiln_a, max(__kiln_rid) OVER (PARTITION BY " + keyAliases(r)
                + " ORDER BY __kiln_a RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __kiln_best FROM " + p + "_rank),\n"
                + p + " AS (SELECT b.*, w.__kiln_e" + (r.features().isEmpty() ? "" : ", " + SqlText.list(r.features(), "w."))
                + " FROM " + p + "_best AS b JOIN " + p + "_rank AS w ON w.__kiln_rid = b.__kiln_best)";
    }

    /** Tie-break columns that are not among the selected features, so the rank can see them. */
    private static String tieBreakExtra(Resolved r) {
        StringBuilder sb = new StringBuilder();
        for (String f : tieBreak(r)) {
            if (r.features().stream().noneMatch(f::equalsIgnoreCase)) {
                sb.append(", ").append(SqlText.quote(f));
            }
        }
        return sb.toString();
    }
}
