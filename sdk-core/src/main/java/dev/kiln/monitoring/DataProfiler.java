package dev.kiln.monitoring;

import dev.kiln.InvalidArgumentException;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Schema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Profiles any lakehouse or feature table with SQL aggregates: per column the nulls, distinct values,
 * ranges, mean and stddev, and the freshness (age of the newest event) of its time column.
 */
public final class DataProfiler {
    private final Lakehouse lakehouse;
    private final Clock clock;

    /**
     * Creates a profiler.
     *
     * @param lakehouse the lakehouse to query
     * @param clock the clock that measures freshness
     */
    public DataProfiler(Lakehouse lakehouse, Clock clock) {
        this.lakehouse = lakehouse;
        this.clock = clock;
    }

    static boolean isNumeric(DataType type) {
        return type instanceof DataType.Decimal || type == DataType.Primitive.TINYINT
                || type == DataType.Primitive.SMALLINT || type == DataType.Primitive.INT
                || type == DataType.Primitive.BIGINT || type == DataType.Primitive.FLOAT
                || type == DataType.Primitive.DOUBLE;
    }

    static boolean isTime(DataType type) {
        return type == DataType.Primitive.TIMESTAMP || type == DataType.Primitive.TIMESTAMP_NTZ
                || type == DataType.Primitive.DATE;
    }

    static boolean isComparable(DataType type) {
        return type instanceof DataType.Primitive p && p != DataType.Primitive.BINARY;
    }

    static Schema schemaOf(Lakehouse lakehouse, TableRef ref) {
        try (Rows rows = lakehouse.sql("SELECT * FROM " + ref.sql() + " LIMIT 0")) {
            return rows.schema();
        }
    }

    static String quote(String column) {
        return "\"" + column.replace("\"", "\"\"") + "\"";
    }

    /**
     * Profiles a table.
     *
     * @param table {@code schema.table[@VERSION]}
     * @param timeColumn the event-time column for freshness, or null for the first timestamp column
     * @return the profile
     * @throws InvalidArgumentException if the table or column does not exist
     */
    public TableProfile profile(String table, String timeColumn) {
        TableRef ref = TableRef.parse(table).resolve(lakehouse);
        Schema schema = schemaOf(lakehouse, ref);
        String time = timeColumn;
        if (time == null) {
            time = schema.fields().stream().filter(f -> isTime(f.type())).map(Field::name).findFirst().orElse(null);
        } else if (schema.field(time).isEmpty()) {
            throw new InvalidArgumentException("Table " + ref + " has no column '" + time + "'; columns are "
                    + schema.names() + ".");
        }
        StringBuilder sql = new StringBuilder("SELECT count(*)");
        for (Field f : schema.fields()) {
            String c = quote(f.name());
            sql.append(", count(*) - count(").append(c).append(")");
            boolean cmp = isComparable(f.type());
            sql.append(cmp ? ", approx_count_distinct(" + c + ")" : ", NULL");
            sql.append(cmp ? ", CAST(min(" + c + ") AS VARCHAR), CAST(max(" + c + ") AS VARCHAR)" : ", NULL, NULL");
            boolean num = isNumeric(f.type());
            sql.append(num ? ", avg(" + c + ")::DOUBLE, stddev_samp(" + c + ")::DOUBLE" : ", NULL, NULL");
            sql.append(f.type() == DataType.Primitive.TIMESTAMP ? ", max(" + c + ")" : ", NULL");
        }
        sql.append(" FROM ").append(ref.sql());
        Instant now = clock.instant();
        List<ColumnProfile> columns = new ArrayList<>();
        long count;
        Instant newestEvent = null;
        try (Rows rows = lakehouse.sql(sql.toString())) {
            rows.next();
            count = ((Number) rows.get(0)).longValue();
            int i = 1;
            for (Field f : schema.fields()) {
                long nulls = ((Number) rows.get(i)).longValue();
                Object distinct = rows.get(i + 1);
                Object min = rows.get(i + 2);
                Object max = rows.get(i + 3);
                Object mean = rows.get(i + 4);
                Object sd = rows.get(i + 5);
                Object newest = rows.get(i + 6);
                Instant newestInstant = newest instanceof Instant in ? in : null;
                columns.add(new ColumnProfile(f.name(), f.type().sql(), count, nulls,
                        distinct == null ? 0 : ((Number) distinct).longValue(), min == null ? null : min.toString(),
                        max == null ? null : max.toString(), mean == null ? null : ((Number) mean).doubleValue(),
                        sd == null ? null : ((Number) sd).doubleValue(), newestInstant));
                if (f.name().equals(time)) {
                    newestEvent = newestInstant;
                    if (newestEvent == null && max != null && f.type() != DataType.Primitive.TIMESTAMP) {
                        newestEvent = parseLoose(max.toString());
                    }
                }
                i += 7;
            }
        }
        Duration freshness = newestEvent == null ? null : Duration.between(newestEvent, now);
        return new TableProfile(ref, count, List.copyOf(columns), time, newestEvent, freshness, now);
    }

    private static Instant parseLoose(String text) {
        try {
            if (text.length() == 10) {
                return java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            }
            return java.time.LocalDateTime.parse(text.replace(' ', 'T')).toInstant(java.time.ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
