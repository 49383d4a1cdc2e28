package dev.kiln.duckdb.delta;

import dev.kiln.StorageException;
import dev.kiln.UnsupportedFeatureException;
import dev.kiln.duckdb.DuckEngine;
import dev.kiln.duckdb.DuckTypes;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Schema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the SELECT behind {@link SnapshotRelation#sql}. */
final class RelationBuilder {
    static final String PHYSICAL_NAME = "delta.columnMapping.physicalName";
    static final String FIELD_ID = "delta.columnMapping.id";
    private static final String T = "\"__kiln_t\"";
    private static final String P = "\"__kiln_p\"";
    private static final String D = "\"__kiln_dv\"";
    private static final String FILE = "\"__kiln_file\"";

    private RelationBuilder() {
    }

    static String build(DuckEngine engine, LogSnapshot snapshot, List<AddFile> files) {
        DeltaLog.checkReadable(snapshot.protocol(), snapshot.tableDir());
        Schema schema = snapshot.schema();
        String mode = columnMappingMode(snapshot);
        List<String> partitionColumns = snapshot.metadata().partitionColumns();
        if (files.isEmpty()) {
            StringBuilder sb = new StringBuilder("SELECT ");
            appendNullColumns(sb, schema);
            return sb.append(" WHERE false").toString();
        }
        Path tableDir = snapshot.tableDir();
        files = distinct(files, tableDir);
        List<String> paths = new ArrayList<>(files.size());
        for (AddFile f : files) {
            paths.add(DeltaPaths.resolve(tableDir, f.path()).toString());
        }
        boolean anyDv = anyDeletionVector(files);
        boolean partitioned = partitioned(snapshot);
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < paths.size(); i++) {
            if (i > 0) {
                list.append(", ");
            }
            list.append(DuckEngine.literal(paths.get(i)));
        }
        list.append(']');

        // Which data columns (physical names) exist in the files, and how each logical column is read.
        List<Field> dataFields = new ArrayList<>();
        for (Field f : schema.fields()) {
            if (!isPartition(f, partitionColumns)) {
                dataFields.add(f);
            }
        }
        StringBuilder options = new StringBuilder();
        if (partitioned || anyDv) {
            options.append(", filename = '__kiln_file'");
        }
        if (anyDv) {
            options.append(", file_row_number = true");
        }
        String source;
        Map<String, String> present = new HashMap<>();
        if (mode.equals("id")) {
            StringBuilder map = new StringBuilder("map {");
            boolean first = true;
            for (Field f : dataFields) {
                String id = f.metadata().get(FIELD_ID);
                if (id == null) {
                    throw new StorageException("Column '" + f.name() + "' of table " + tableDir
                            + " has no delta.columnMapping.id although the table uses column mapping mode 'id'; the schema is corrupt.");
                }
                if (!first) {
                    map.append(", ");
                }
                first = false;
                map.append(Long.parseLong(id.trim())).append(": {name: ").append(DuckEngine.literal(physical(f)))
                        .append(", type: ").append(DuckEngine.literal(physicalType(f.type(), true))).append(", default_value: NULL}");
                present.put(physical(f).toLowerCase(Locale.ROOT), physical(f));
            }
            map.append('}');
            if (dataFields.isEmpty()) {
                source = "read_parquet(" + list + options + ")";
            } else {
                source = "read_parquet(" + list + ", schema = " + map + options + ")";
            }
        } else {
            source = "read_parquet(" + list + ", union_by_name = true" + options + ")";
            topLevelColumns(engine, files, paths, present, tableDir);
        }
        if (anyDv && present.containsKey("file_row_number") && !mode.equals("id")) {
            throw new UnsupportedFeatureException("Table " + tableDir + " has a data column named 'file_row_number' and deletion vectors;"
                    + " Kiln needs that name for the row positions the vectors refer to. Rename the column with another engine to read the table.");
        }
        boolean mapped = !mode.equals("none");

        StringBuilder sql = new StringBuilder("SELECT ");
        int pi = 0;
        Map<String, String> partitionAliases = new HashMap<>();
        for (String pc : partitionColumns) {
            partitionAliases.put(pc.toLowerCase(Locale.ROOT), "\"__kiln_p" + (pi++) + "\"");
        }
        boolean firstCol = true;
        for (Field f : schema.fields()) {
            if (!firstCol) {
                sql.append(", ");
            }
            firstCol = false;
            String target = DuckTypes.duck(f.type());
            if (isPartition(f, partitionColumns)) {
                String alias = partitionAliases.get(f.name().toLowerCase(Locale.ROOT));
                sql.append(partitionValueExpr(P + "." + alias, f.type()));
            } else {
                String phys = mapped ? physical(f) : f.name();
                String actual = present.get(phys.toLowerCase(Locale.ROOT));
                if (actual == null) {
                    sql.append("CAST(NULL AS ").append(target).append(')');
                } else {
                    String col = T + "." + DuckEngine.quote(actual);
                    if (mapped && hasNestedStruct(f.type())) {
                        String cast = "CAST(" + col + " AS " + physicalType(f.type(), true) + ")";
                        sql.append("CAST(").append(rename(cast, f.type(), 0)).append(" AS ").append(target).append(')');
                    } else {
                        sql.append("CAST(").append(col).append(" AS ").append(target).append(')');
                    }
                }
            }
            sql.append(" AS ").append(DuckEngine.quote(f.name()));
        }
        sql.append(" FROM ").append(source).append(" AS ").append(T);
        if (partitioned) {
            sql.append(" JOIN (VALUES ");
            for (int i = 0; i < files.size(); i++) {
                AddFile f = files.get(i);
                if (i > 0) {
                    sql.append(", ");
                }
                sql.append('(').append(DuckEngine.literal(paths.get(i)));
                for (String pc : partitionColumns) {
                    String value = partitionValue(f, pc, schema, mapped);
                    sql.append(", ").append(value == null ? "NULL::VARCHAR" : DuckEngine.literal(value));
                }
                sql.append(')');
            }
            sql.append(") AS ").append(P).append('(').append(FILE);
            for (int i = 0; i < partitionColumns.size(); i++) {
                sql.append(", \"__kiln_p").append(i).append('"');
            }
            sql.append(") ON ").append(T).append('.').append(FILE).append(" = ").append(P).append('.').append(FILE);
        }
        if (anyDv) {
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < files.size(); i++) {
                AddFile f = files.get(i);
                if (f.deletionVector() == null) {
                    continue;
                }
                if (values.length() > 0) {
                    values.append(", ");
                }
                values.append('(').append(DuckEngine.literal(paths.get(i))).append(", ").append(positionsSql(tableDir, f.deletionVector())).append(')');
            }
            sql.append(" ANTI JOIN (SELECT f AS ").append(FILE).append(", unnest(p) AS \"__kiln_pos\" FROM (VALUES ").append(values)
                    .append(") AS v(f, p)) AS ").append(D).append(" ON ").append(T).append('.').append(FILE).append(" = ").append(D).append('.').append(FILE)
                    .append(" AND ").append(T).append(".file_row_number = ").append(D).append(".\"__kiln_pos\"");
        }
        return sql.toString();
    }

    /**
     * Whether {@link #build} reads the files as one table: it joins only to attach partition values
     * and to drop rows masked by deletion vectors.
     */
    static boolean joinFree(LogSnapshot snapshot, List<AddFile> files) {
        return !partitioned(snapshot) && !anyDeletionVector(files);
    }

    private static boolean partitioned(LogSnapshot snapshot) {
        return !snapshot.metadata().partitionColumns().isEmpty();
    }

    private static boolean anyDeletionVector(List<AddFile> files) {
        return files.stream().anyMatch(f -> f.deletionVector() != null);
    }

    /** Drops repeated entries of one logical file; one data file with two different deletion vectors is refused. */
    private static List<AddFile> distinct(List<AddFile> files, Path tableDir) {
        Map<String, AddFile> byPath = new java.util.LinkedHashMap<>();
        for (AddFile f : files) {
            String key = DeltaPaths.resolve(tableDir, f.path()).toString();
            AddFile prev = byPath.putIfAbsent(key, f);
            if (prev != null && !java.util.Objects.equals(prev.deletionVector(), f.deletionVector())) {
                throw new dev.kiln.InvalidArgumentException("Data file " + f.path() + " of table " + tableDir
                        + " is listed twice with different deletion vectors; pass the files of one snapshot.");
            }
        }
        return byPath.size() == files.size() ? files : new ArrayList<>(byPath.values());
    }

    private static String columnMappingMode(LogSnapshot snapshot) {
        Protocol p = snapshot.protocol();
        boolean supported = p.minReaderVersion() == 2 || (p.minReaderVersion() >= 3 && p.hasReaderFeature("columnMapping"));
        return supported ? snapshot.metadata().columnMappingMode() : "none";
    }

    private static void appendNullColumns(StringBuilder sb, Schema schema) {
        boolean first = true;
        for (Field f : schema.fields()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append("CAST(NULL AS ").append(DuckTypes.duck(f.type())).append(") AS ").append(DuckEngine.quote(f.name()));
        }
    }

    private static boolean isPartition(Field f, List<String> partitionColumns) {
        for (String pc : partitionColumns) {
            if (pc.equalsIgnoreCase(f.name())) {
                return true;
            }
        }
        return false;
    }

    /** Top-level column names per data file (path|size): data files never change, so their footers are read once. */
    private static final Map<String, List<String>> FILE_COLUMNS = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
            return size() > 50_000;
        }
    };
    private static final Map<List<String>, List<String>> CANONICAL = new HashMap<>();

    private static void topLevelColumns(DuckEngine engine, List<AddFile> files, List<String> paths, Map<String, String> present, Path tableDir) {
        List<String> unknown = new ArrayList<>();
        List<List<String>> known = new ArrayList<>();
        synchronized (FILE_COLUMNS) {
            for (int i = 0; i < files.size(); i++) {
                List<String> cols = FILE_COLUMNS.get(paths.get(i) + "|" + files.get(i).size());
                if (cols == null) {
                    unknown.add(paths.get(i));
                } else {
                    known.add(cols);
                }
            }
        }
        if (!unknown.isEmpty()) {
            Map<String, Long> sizes = new HashMap<>();
            for (int i = 0; i < files.size(); i++) {
                sizes.put(paths.get(i), files.get(i).size());
            }
            StringBuilder list = new StringBuilder("[");
            for (String u : new java.util.LinkedHashSet<>(unknown)) {
                list.append(list.length() > 1 ? ", " : "").append(DuckEngine.literal(u));
            }
            list.append(']');
            String sql = "SELECT file_name, name, coalesce(num_children, 0) FROM parquet_schema(" + list + ") ORDER BY file_name, column_id";
            Map<String, List<String[]>> byFile = new java.util.LinkedHashMap<>();
            try (Connection c = engine.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    byFile.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new String[] {rs.getString(2), rs.getString(3)});
                }
            } catch (SQLException e) {
                throw new StorageException("Cannot read the data files of table " + tableDir + ": " + e.getMessage()
                        + ". A data file listed in the Delta log may be missing or not Parquet.", e);
            }
            synchronized (FILE_COLUMNS) {
                for (Map.Entry<String, List<String[]>> e : byFile.entrySet()) {
                    List<String> cols = topLevel(e.getValue());
                    cols = CANONICAL.computeIfAbsent(cols, k -> k);
                    if (CANONICAL.size() > 10_000) {
                        CANONICAL.clear();
                    }
                    known.add(cols);
                    Long size = sizes.get(e.getKey());
                    if (size != null) {
                        FILE_COLUMNS.put(e.getKey() + "|" + size, cols);
                    }
                }
            }
        }
        for (List<String> cols : known) {
            for (String c : cols) {
                present.putIfAbsent(c.toLowerCase(Locale.ROOT), c);
            }
        }
    }

    /** Walks the depth-first schema elements of one file (root first) and returns the root's children. */
    private static List<String> topLevel(List<String[]> rows) {
        List<String> out = new ArrayList<>();
        if (rows.isEmpty()) {
            return out;
        }
        int children = Integer.parseInt(rows.get(0)[1]);
        int idx = 1;
        for (int i = 0; i < children && idx < rows.size(); i++) {
            out.add(rows.get(idx)[0]);
            idx = skip(rows, idx);
        }
        return List.copyOf(out);
    }

    private static int skip(List<String[]> rows, int idx) {
        int n = Integer.parseInt(rows.get(idx)[1]);
        int next = idx + 1;
        for (int i = 0; i < n && next < rows.size(); i++) {
            next = skip(rows, next);
        }
        return next;
    }

    static String physical(Field f) {
        String p = f.metadata().get(PHYSICAL_NAME);
        return p == null || p.isEmpty() ? f.name() : p;
    }

    /** The DuckDB type of a column with struct fields named by their physical names. */
    private static String physicalType(DataType type, boolean mapped) {
        if (type instanceof DataType.Struct s) {
            StringBuilder sb = new StringBuilder("STRUCT(");
            for (int i = 0; i < s.fields().size(); i++) {
                Field f = s.fields().get(i);
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(DuckEngine.quote(mapped ? physical(f) : f.name())).append(' ').append(physicalType(f.type(), mapped));
            }
            return sb.append(')').toString();
        }
        if (type instanceof DataType.Array a) {
            return physicalType(a.element(), mapped) + "[]";
        }
        if (type instanceof DataType.MapType m) {
            return "MAP(" + physicalType(m.key(), mapped) + ", " + physicalType(m.value(), mapped) + ")";
        }
        return DuckTypes.duck(type);
    }

    private static boolean hasNestedStruct(DataType type) {
        if (type instanceof DataType.Struct) {
            return true;
        }
        if (type instanceof DataType.Array a) {
            return hasNestedStruct(a.element());
        }
        if (type instanceof DataType.MapType m) {
            return hasNestedStruct(m.key()) || hasNestedStruct(m.value());
        }
        return false;
    }

    /** Renames struct fields from physical to logical names, recursively. */
    private static String rename(String expr, DataType type, int depth) {
        if (!hasNestedStruct(type)) {
            return expr;
        }
        if (type instanceof DataType.Struct s) {
            StringBuilder sb = new StringBuilder("CASE WHEN (").append(expr).append(") IS NULL THEN NULL ELSE struct_pack(");
            for (int i = 0; i < s.fields().size(); i++) {
                Field f = s.fields().get(i);
                if (i > 0) {
                    sb.append(", ");
                }
                String inner = "struct_extract(" + expr + ", " + DuckEngine.literal(physical(f)) + ")";
                sb.append(DuckEngine.quote(f.name())).append(" := ").append(rename(inner, f.type(), depth + 1));
            }
            return sb.append(") END").toString();
        }
        String x = "__kiln_x" + depth;
        if (type instanceof DataType.Array a) {
            return "list_transform(" + expr + ", lambda " + x + ": " + rename(x, a.element(), depth + 1) + ")";
        }
        DataType.MapType m = (DataType.MapType) type;
        return "map_from_entries(list_transform(map_entries(" + expr + "), lambda " + x + ": struct_pack(key := "
                + rename(x + ".key", m.key(), depth + 1) + ", value := " + rename(x + ".value", m.value(), depth + 1) + ")))";
    }

    private static String partitionValue(AddFile f, String partitionColumn, Schema schema, boolean mapped) {
        Map<String, String> values = f.partitionValues();
        if (mapped) {
            Field field = schema.field(partitionColumn).orElse(null);
            if (field != null) {
                String phys = physical(field);
                if (values.containsKey(phys)) {
                    return values.get(phys);
                }
            }
        }
        if (values.containsKey(partitionColumn)) {
            return values.get(partitionColumn);
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().equalsIgnoreCase(partitionColumn)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Types a partition value from its serialised string (empty string means null). */
    static String partitionValueExpr(String col, DataType type) {
        String v = "NULLIF(" + col + ", '')";
        if (type == DataType.Primitive.STRING) {
            return v;
        }
        if (type == DataType.Primitive.BINARY) {
            return "encode(" + v + ")";
        }
        if (type instanceof DataType.Primitive) {
            return "CAST(" + v + " AS " + DuckTypes.duck(type) + ")";
        }
        if (type instanceof DataType.Decimal) {
            return "CAST(" + v + " AS " + DuckTypes.duck(type) + ")";
        }
        throw new UnsupportedFeatureException("A partition column of type " + type.sql() + " is not supported; Delta partitions by primitive types only.");
    }

    /** Deletion vectors never change once written: their SQL lists are kept (keyed by table and DV unique id). */
    private static final Map<String, String> DV_SQL = new java.util.LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 2_000;
        }
    };

    private static String positionsSql(Path tableDir, DeletionVector dv) {
        String key = tableDir + "|" + dv.uniqueId() + "|" + dv.sizeInBytes() + "|" + dv.cardinality();
        synchronized (DV_SQL) {
            String cached = DV_SQL.get(key);
            if (cached != null) {
                return cached;
            }
        }
        String sql = positionsList(DeletionVectors.load(tableDir, dv));
        synchronized (DV_SQL) {
            DV_SQL.put(key, sql);
        }
        return sql;
    }

    /** A BIGINT[] literal of the positions, with runs written as range() calls. */
    private static String positionsList(DeletionVectors.Positions pos) {
        long[] rows = pos.toArray();
        List<String> parts = new ArrayList<>();
        StringBuilder singles = new StringBuilder();
        int i = 0;
        while (i < rows.length) {
            int j = i;
            while (j + 1 < rows.length && rows[j + 1] == rows[j] + 1) {
                j++;
            }
            if (j - i >= 3) {
                parts.add("range(" + rows[i] + ", " + (rows[j] + 1) + ")");
            } else {
                for (int k = i; k <= j; k++) {
                    if (singles.length() > 0) {
                        singles.append(',');
                    }
                    singles.append(rows[k]);
                }
            }
            i = j + 1;
        }
        if (singles.length() > 0) {
            parts.add("[" + singles + "]::BIGINT[]");
        }
        if (parts.isEmpty()) {
            return "[]::BIGINT[]";
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return "flatten([" + String.join(", ", parts) + "])";
    }
}
