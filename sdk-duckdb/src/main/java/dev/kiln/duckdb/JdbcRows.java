package dev.kiln.duckdb;

import dev.kiln.StorageException;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Schema;
import java.math.BigInteger;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Struct;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link Rows} cursor over a DuckDB result; owns its connection and closes it with the cursor. */
final class JdbcRows implements Rows {
    private final Connection connection;
    private final Statement statement;
    private final ResultSet resultSet;
    private final Schema schema;
    private final DataType[] types;
    /** How {@link #getDouble} reads each column, decided once instead of on every value. */
    private final byte[] doubleKinds;

    /** DOUBLE or FLOAT: DuckDB's driver already answers NaN for NULL, so no {@code wasNull()} call is needed. */
    private static final byte FLOATING = 0;
    /** Other numbers: read as double, then {@code wasNull()}. */
    private static final byte NUMBER = 1;
    private static final byte BOOLEAN = 2;
    private static final byte NOT_NUMERIC = 3;

    private JdbcRows(Connection connection, Statement statement, ResultSet resultSet, Schema schema) {
        this.connection = connection;
        this.statement = statement;
        this.resultSet = resultSet;
        this.schema = schema;
        this.types = schema.fields().stream().map(Field::type).toArray(DataType[]::new);
        this.doubleKinds = new byte[types.length];
        for (int i = 0; i < types.length; i++) {
            doubleKinds[i] = doubleKind(types[i]);
        }
    }

    private static byte doubleKind(DataType type) {
        if (type == DataType.Primitive.DOUBLE || type == DataType.Primitive.FLOAT) {
            return FLOATING;
        }
        if (type == DataType.Primitive.BOOLEAN) {
            return BOOLEAN;
        }
        if (type instanceof DataType.Decimal) {
            return NUMBER;
        }
        if (!(type instanceof DataType.Primitive p) || p == DataType.Primitive.STRING || p == DataType.Primitive.BINARY
                || p == DataType.Primitive.DATE || p == DataType.Primitive.TIMESTAMP || p == DataType.Primitive.TIMESTAMP_NTZ) {
            return NOT_NUMERIC;
        }
        return NUMBER;
    }

    /** Runs a query on a connection that the returned cursor then owns. */
    static JdbcRows run(Connection connection, String sql) throws SQLException {
        Statement statement = connection.createStatement();
        try {
            ResultSet rs = statement.executeQuery(sql);
            return new JdbcRows(connection, statement, rs, schemaOf(rs.getMetaData()));
        } catch (SQLException e) {
            Sql.closeQuietly(statement);
            throw e;
        }
    }

    static Schema schemaOf(ResultSetMetaData md) throws SQLException {
        List<Field> fields = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String name = md.getColumnLabel(i);
            String unique = name;
            for (int n = 1; !seen.add(unique.toLowerCase(java.util.Locale.ROOT)); n++) {
                unique = name + "_" + n; // SQL allows duplicate result names; a Schema does not
            }
            fields.add(Field.of(unique, DuckTypes.parse(md.getColumnTypeName(i))));
        }
        return new Schema(fields);
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public boolean next() {
        try {
            return resultSet.next();
        } catch (SQLException e) {
            throw new StorageException("Reading a result failed: " + Sql.message(e), e);
        }
    }

    @Override
    public Object get(int column) {
        try {
            DataType type = types[column];
            if (type == DataType.Primitive.TIMESTAMP_NTZ) {
                return resultSet.getObject(column + 1, LocalDateTime.class);
            }
            if (type == DataType.Primitive.TIMESTAMP) {
                OffsetDateTime value = resultSet.getObject(column + 1, OffsetDateTime.class);
                return value == null ? null : value.toInstant();
            }
            return convert(resultSet.getObject(column + 1), type);
        } catch (SQLException e) {
            throw new StorageException("Reading column " + column + " failed: " + Sql.message(e), e);
        }
    }

    @Override
    public double getDouble(int column) {
        try {
            switch (doubleKinds[column]) {
                case FLOATING:
                    return resultSet.getDouble(column + 1);
                case BOOLEAN: {
                    boolean value = resultSet.getBoolean(column + 1);
                    return resultSet.wasNull() ? Double.NaN : value ? 1 : 0;
                }
                case NOT_NUMERIC:
                    throw new ClassCastException("Column " + schema.fields().get(column).name() + " is " + types[column].sql() + ", not numeric.");
                default: {
                    double value = resultSet.getDouble(column + 1);
                    return resultSet.wasNull() ? Double.NaN : value;
                }
            }
        } catch (SQLException e) {
            throw new StorageException("Reading column " + column + " failed: " + Sql.message(e), e);
        }
    }

    @Override
    public void close() {
        Sql.closeQuietly(resultSet);
        Sql.closeQuietly(statement);
        Sql.closeQuietly(connection);
    }

    /** Turns what DuckDB's JDBC driver returns into the Java values {@link Rows} promises. */
    static Object convert(Object value, DataType type) throws SQLException {
        if (value == null) {
            return null;
        }
        if (type instanceof DataType.Primitive p) {
            return switch (p) {
                case BOOLEAN -> value;
                case TINYINT -> ((Number) value).byteValue();
                case SMALLINT -> ((Number) value).shortValue();
                case INT -> ((Number) value).intValue();
                case BIGINT -> value instanceof BigInteger b ? b.longValue() : ((Number) value).longValue();
                case FLOAT -> ((Number) value).floatValue();
                case DOUBLE -> ((Number) value).doubleValue();
                case STRING -> value.toString();
                case BINARY -> value instanceof Blob blob ? blob.getBytes(1, (int) blob.length()) : value;
                case DATE -> value instanceof java.sql.Date d ? d.toLocalDate() : value instanceof LocalDate ? value : LocalDate.parse(value.toString());
                case TIMESTAMP -> toInstant(value);
                case TIMESTAMP_NTZ -> toLocal(value);
            };
        }
        if (type instanceof DataType.Decimal) {
            return value instanceof java.math.BigDecimal ? value : new java.math.BigDecimal(value.toString());
        }
        if (type instanceof DataType.Array a) {
            Object[] items = value instanceof java.sql.Array arr ? (Object[]) arr.getArray()
                    : value instanceof List<?> l ? l.toArray() : (Object[]) value;
            List<Object> out = new ArrayList<>(items.length);
            for (Object item : items) {
                out.add(convert(item, a.element()));
            }
            return out;
        }
        if (type instanceof DataType.MapType m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                out.put(convert(e.getKey(), m.key()), convert(e.getValue(), m.value()));
            }
            return out;
        }
        DataType.Struct s = (DataType.Struct) type;
        Map<String, Object> out = new LinkedHashMap<>();
        if (value instanceof Struct struct) {
            Object[] attributes = struct.getAttributes();
            for (int i = 0; i < s.fields().size(); i++) {
                out.put(s.fields().get(i).name(), convert(attributes[i], s.fields().get(i).type()));
            }
        } else {
            Map<?, ?> map = (Map<?, ?>) value;
            for (Field f : s.fields()) {
                out.put(f.name(), convert(map.get(f.name()), f.type()));
            }
        }
        return out;
    }

    private static Instant toInstant(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof LocalDateTime ldt) {
            return ldt.toInstant(java.time.ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(value.toString()).toInstant();
    }

    private static LocalDateTime toLocal(Object value) {
        if (value instanceof LocalDateTime ldt) {
            return ldt;
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toLocalDateTime();
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toLocalDateTime();
        }
        return LocalDateTime.parse(value.toString().replace(' ', 'T'));
    }
}
