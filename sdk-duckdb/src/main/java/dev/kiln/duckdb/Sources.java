package dev.kiln.duckdb;

import dev.kiln.InvalidArgumentException;
import dev.kiln.NotFoundException;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.WriteSource;
import dev.kiln.spi.RelationResolver;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Turns a {@link WriteSource} into a relation of one DuckDB connection. */
final class Sources {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private Sources() {
    }

    /**
     * A source as SQL, whether its values are untyped text (CSV) to be parsed into the table's types,
     * and what to release once the write is done.
     */
    record Relation(String sql, boolean text, AutoCloseable resources) implements AutoCloseable {
        Relation(String sql, boolean text) {
            this(sql, text, () -> { });
        }

        @Override
        public void close() {
            Sql.closeQuietly(resources);
        }
    }

    static Relation of(Connection connection, DuckEngine engine, RelationResolver resolver, WriteSource source,
            Schema tableSchema, String table) throws SQLException {
        if (source instanceof WriteSource.Csv csv) {
            requireFile(csv.path(), table);
            return new Relation("SELECT * FROM read_csv(" + DuckEngine.literal(csv.path().toString())
                    + ", header = true, all_varchar = true, strict_mode = true)", true);
        }
        if (source instanceof WriteSource.Parquet parquet) {
            if (!parquet.path().toString().contains("*")) {
                requireFile(parquet.path(), table);
            }
            return new Relation("SELECT * FROM read_parquet(" + DuckEngine.literal(parquet.path().toString()) + ")", false);
        }
        if (source instanceof WriteSource.Query query) {
            return new Relation("SELECT * FROM (" + Relations.bind(connection, engine, resolver.resolve(query.sql())) + ")", false);
        }
        if (source instanceof WriteSource.ArrowBatches arrow) {
            org.apache.arrow.c.ArrowArrayStream stream = exportArrow(arrow);
            return new Relation("SELECT * FROM " + registerArrow(connection, stream), false, stream);
        }
        return new Relation("SELECT * FROM " + loadValues(connection, (WriteSource.Values) source, tableSchema, table), false);
    }

    private static void requireFile(Path path, String table) {
        if (!Files.isRegularFile(path)) {
            throw new NotFoundException("Cannot write to " + table + ": file " + path + " does not exist.");
        }
    }

    private static org.apache.arrow.c.ArrowArrayStream exportArrow(WriteSource.ArrowBatches arrow) {
        try {
            // the exported stream must allocate from the same allocator tree as the reader's batches
            var vectors = arrow.reader().getVectorSchemaRoot().getFieldVectors();
            org.apache.arrow.memory.BufferAllocator allocator = vectors.isEmpty()
                    ? new org.apache.arrow.memory.RootAllocator() : vectors.get(0).getAllocator().getRoot();
            org.apache.arrow.c.ArrowArrayStream stream = org.apache.arrow.c.ArrowArrayStream.allocateNew(allocator);
            org.apache.arrow.c.Data.exportArrayStream(allocator, arrow.reader(), stream);
            return stream;
        } catch (RuntimeException | LinkageError | java.io.IOException e) {
            throw ArrowSupport.explain(e);
        }
    }

    private static String registerArrow(Connection connection, org.apache.arrow.c.ArrowArrayStream stream) {
        String name = "kiln_arrow_" + UUID.randomUUID().toString().replace('-', '_');
        try {
            connection.unwrap(org.duckdb.DuckDBConnection.class).registerArrowStream(name, stream);
            return DuckEngine.quote(name);
        } catch (SQLException | RuntimeException | LinkageError e) {
            stream.close();
            throw ArrowSupport.explain(e);
        }
    }

    /** Java rows go into a temporary table typed like the target, so values are checked as they are bound. */
    private static String loadValues(Connection connection, WriteSource.Values values, Schema schema, String table) throws SQLException {
        String name = "kiln_values_" + UUID.randomUUID().toString().replace('-', '_');
        StringBuilder ddl = new StringBuilder("CREATE TEMP TABLE " + DuckEngine.quote(name) + " (");
        StringBuilder marks = new StringBuilder();
        StringBuilder select = new StringBuilder("(SELECT ");
        for (int i = 0; i < schema.fields().size(); i++) {
            Field f = schema.fields().get(i);
            String q = DuckEngine.quote(f.name());
            // JDBC cannot bind nested values: they travel as JSON text and are cast on the way out
            boolean nested = nested(f.type());
            ddl.append(i == 0 ? "" : ", ").append(q).append(' ').append(nested ? "VARCHAR" : DuckTypes.duck(f.type()));
            marks.append(i == 0 ? "?" : ", ?");
            select.append(i == 0 ? "" : ", ").append(nested ? "CAST(CAST(" + q + " AS JSON) AS " + DuckTypes.duck(f.type()) + ")" : q)
                    .append(" AS ").append(q);
        }
        try (Statement st = connection.createStatement()) {
            st.execute(ddl.append(')').toString());
        }
        int width = schema.fields().size();
        if (ValuesAppender.supports(schema)) {
            ValuesAppender.append(connection, name, values.rows(), schema, table);
            return select.append(" FROM ").append(DuckEngine.quote(name)).append(')').toString();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + DuckEngine.quote(name) + " VALUES (" + marks + ")")) {
            int row = 0;
            for (Object[] values1 : values.rows()) {
                checkWidth(values1, width, schema, table, row);
                for (int c = 0; c < width; c++) {
                    bind(insert, c + 1, values1[c], schema.fields().get(c), table, row);
                }
                insert.addBatch();
                if (++row % 10_000 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        return select.append(" FROM ").append(DuckEngine.quote(name)).append(')').toString();
    }

    static void checkWidth(Object[] values, int width, Schema schema, String table, int row) {
        if (values.length != width) {
            throw new InvalidArgumentException("Row " + row + " written to " + table + " has " + values.length
                    + " values; the table has " + width + " columns " + schema.names() + ".");
        }
    }

    /** Refuses a Java value whose class cannot hold the column's type. */
    static void checkType(Object value, Field field, String table, int row) {
        DataType type = field.type();
        boolean ok = switch (type instanceof DataType.Primitive p ? p.name() : type.getClass().getSimpleName()) {
            case "BOOLEAN" -> value instanceof Boolean;
            case "TINYINT", "SMALLINT", "INT", "BIGINT" -> value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long;
            case "FLOAT", "DOUBLE" -> value instanceof Number && !(value instanceof BigDecimal);
            case "STRING" -> value instanceof CharSequence;
            case "BINARY" -> value instanceof byte[];
            case "DATE" -> value instanceof java.time.LocalDate;
            case "TIMESTAMP" -> value instanceof Instant || value instanceof java.time.OffsetDateTime;
            case "TIMESTAMP_NTZ" -> value instanceof java.time.LocalDateTime;
            case "Decimal" -> value instanceof BigDecimal || value instanceof Long || value instanceof Integer;
            case "Array" -> value instanceof java.util.List<?>;
            case "MapType", "Struct" -> value instanceof java.util.Map<?, ?>;
            default -> true;
        };
        if (!ok) {
            throw new dev.kiln.SchemaMismatchException("Row " + row + ", column '" + field.name() + "' of " + table + ": a "
                    + value.getClass().getSimpleName() + " cannot be written to a " + type.sql() + " column.");
        }
    }

    private static void bind(PreparedStatement st, int index, Object value, Field field, String table, int row) throws SQLException {
        if (value == null) {
            st.setObject(index, null);
            return;
        }
        checkType(value, field, table, row);
        if (value instanceof java.util.Map<?, ?> || value instanceof java.util.List<?>) {
            st.setString(index, nestedJson(value, field, table, row));
        } else if (value instanceof Instant instant) {
            st.setObject(index, instant.atOffset(ZoneOffset.UTC));
        } else if (value instanceof CharSequence cs) {
            st.setString(index, cs.toString());
        } else {
            st.setObject(index, value);
        }
    }

    /** Whether a column is a list, map or struct: such values reach the staging table as JSON text. */
    static boolean nested(DataType type) {
        return !(type instanceof DataType.Primitive || type instanceof DataType.Decimal);
    }

    /**
     * A nested value (list, map or struct) as the JSON text it travels in to the staging table, whose
     * column for it is VARCHAR and is cast to the real type on the way out.
     */
    static String nestedJson(Object value, Field field, String table, int row) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new dev.kiln.SchemaMismatchException("Row " + row + ", column '" + field.name() + "' of " + table
                    + ": the value cannot be written as " + field.type().sql() + ": " + e.getOriginalMessage());
        }
    }

    /**
     * A source's columns by name with their Kiln types; {@code exact} when each is read by DuckDB as
     * exactly {@link DuckTypes#duck} of its type, so that a cast to that type would change nothing.
     */
    record Columns(Map<String, DataType> types, boolean exact) {
    }

    /**
     * The columns of a source. A single Parquet file's come from its footer, read in Java, which spares
     * a small write a DuckDB round trip; anything the footer cannot type for certain (nested columns,
     * unsigned or nanosecond types, Arrow schema metadata, hive-style folders that DuckDB would turn
     * into columns) is described by DuckDB itself.
     */
    static Columns columns(Connection connection, WriteSource source, String relation) throws SQLException {
        if (source instanceof WriteSource.Parquet parquet && plainFile(parquet.path())) {
            try {
                Map<String, DataType> fromFooter = ParquetFooter.read(parquet.path()).kilnColumns();
                if (fromFooter != null) {
                    return new Columns(fromFooter, true);
                }
            } catch (java.io.IOException e) {
                // DESCRIBE below reports the problem in DuckDB's words
            }
        }
        // DESCRIBE's types are folded into Kiln's (UBIGINT and HUGEINT both read as BIGINT...): not exact
        return new Columns(describe(connection, relation), false);
    }

    private static boolean plainFile(Path path) {
        String text = path.toAbsolutePath().toString();
        return text.indexOf('*') < 0 && text.indexOf('?') < 0 && text.indexOf('[') < 0 && text.indexOf('{') < 0 && text.indexOf('=') < 0;
    }

    /** The columns of a relation, by name, with their Kiln types. */
    static Map<String, DataType> describe(Connection connection, String relation) throws SQLException {
        Map<String, DataType> columns = new LinkedHashMap<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("DESCRIBE " + relation)) {
            while (rs.next()) {
                columns.put(rs.getString("column_name"), DuckTypes.parse(rs.getString("column_type")));
            }
        }
        return columns;
    }

    static List<String> names(Map<String, DataType> columns) {
        return new ArrayList<>(columns.keySet());
    }
}
