package dev.kiln.features;

import dev.kiln.InvalidArgumentException;
import dev.kiln.lakehouse.CatalogLakehouse;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.Snapshot;
import dev.kiln.spi.RelationResolver;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** SQL text helpers: quoting, UTC normalisation, pinning tables to versions, result schemas. */
final class SqlText {
    private SqlText() {
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String literal(String text) {
        return '\'' + text.replace("'", "''") + '\'';
    }

    static String list(List<String> identifiers, String prefix) {
        StringBuilder sb = new StringBuilder();
        for (String id : identifiers) {
            sb.append(sb.isEmpty() ? "" : ", ").append(prefix).append(quote(id));
        }
        return sb.toString();
    }

    /** An expression giving the instant (TIMESTAMPTZ) of a time column; a time without zone is read as UTC. */
    static String utc(String expression, DataType type, String what) {
        if (type == DataType.Primitive.TIMESTAMP) {
            return expression;
        }
        if (type == DataType.Primitive.TIMESTAMP_NTZ) {
            return "timezone('UTC', " + expression + ")";
        }
        if (type == DataType.Primitive.DATE) {
            return "timezone('UTC', CAST(" + expression + " AS TIMESTAMP))";
        }
        throw new InvalidArgumentException(what + " has type " + type.sql() + "; it must be TIMESTAMP, TIMESTAMP_NTZ (read as UTC) or DATE.");
    }

    static boolean isTime(DataType type) {
        return type == DataType.Primitive.TIMESTAMP || type == DataType.Primitive.TIMESTAMP_NTZ || type == DataType.Primitive.DATE;
    }

    /** Whether a column of this type can take part in an ORDER BY tie-break. */
    static boolean orderable(DataType type) {
        return type instanceof DataType.Primitive || type instanceof DataType.Decimal;
    }

    /** The columns of a query's result. */
    static Schema schemaOf(Lakehouse lakehouse, String sql) {
        try (Rows rows = lakehouse.sql("SELECT * FROM (" + sql + ") AS kiln_q LIMIT 0")) {
            return rows.schema();
        }
    }

    /** A query with every lakehouse table it reads pinned to the version it reads now. */
    record Pinned(String sql, Map<String, Long> versions) {
    }

    static Pinned pin(Lakehouse lakehouse, String sql) {
        if (!(lakehouse instanceof CatalogLakehouse catalog)) {
            return new Pinned(sql, Map.of());
        }
        RelationResolver.ResolvedSql resolved = catalog.relations().resolve(sql);
        String text = resolved.sql();
        Map<String, Long> versions = new TreeMap<>();
        for (Map.Entry<String, Snapshot> relation : resolved.relations().entrySet()) {
            String key = relation.getKey();
            String table = key.substring(0, key.lastIndexOf('@'));
            long version = relation.getValue().version();
            versions.merge(table, version, Math::max);
            text = text.replace(quote(key), table + " VERSION AS OF " + version);
        }
        return new Pinned(text, versions);
    }
}
