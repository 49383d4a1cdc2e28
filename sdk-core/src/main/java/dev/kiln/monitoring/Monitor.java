package dev.kiln.monitoring;

import dev.kiln.InvalidArgumentException;
import dev.kiln.lakehouse.DataType;
import dev.kiln.lakehouse.Field;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Rows;
import dev.kiln.lakehouse.Schema;
import dev.kiln.lakehouse.Table;
import dev.kiln.lakehouse.TableDefinition;
import dev.kiln.lakehouse.WriteSource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs monitors: compares a window of a table (an inference table or any table version) against a
 * baseline per feature, appends one row per window, feature and statistic to a metrics Delta table,
 * and raises alerts through {@link AlertListener}s.
 */
public final class Monitor {

    /** Columns of the metrics table. */
    public static final String METRICS_SCHEMA = "window_start TIMESTAMP, window_end TIMESTAMP, "
            + "computed_at TIMESTAMP, target STRING, target_version BIGINT, baseline STRING, "
            + "baseline_version BIGINT, feature STRING, statistic STRING, value DOUBLE, alert BOOLEAN";

    /** Columns an inference table holds besides features; never compared as features. */
    static final Set<String> BOOKKEEPING = Set.of("ts", "model_name", "model_version", "request_id",
            "latency_us");

    private static final DateTimeFormatter SQL_TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private final Lakehouse lakehouse;
    private final Clock clock;
    private final List<AlertListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * Creates a monitor runner.
     *
     * @param lakehouse the lakehouse holding target, baseline and metrics tables
     * @param clock the clock for "now" windows and timestamps
     */
    public Monitor(Lakehouse lakehouse, Clock clock) {
        this.lakehouse = lakehouse;
        this.clock = clock;
    }

    /**
     * Registers a listener for alerts.
     *
     * @param listener the listener
     */
    public void addListener(AlertListener listener) {
        listeners.add(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener
     */
    public void removeListener(AlertListener listener) {
        listeners.remove(listener);
    }

    static String timestampLiteral(Instant instant) {
        return "TIMESTAMPTZ '" + SQL_TS.format(instant) + "+00'";
    }

    private record Column(String name, boolean numeric) {
    }

    /**
     * Runs one monitor.
     *
     * @param spec what to compare
     * @return the statistics and alerts
     * @throws InvalidArgumentException if a table or column is missing
     */
    public MonitorResult run(MonitorSpec spec) {
        TableRef target = TableRef.parse(spec.target()).resolve(lakehouse);
        TableRef baseline = TableRef.parse(spec.baseline()).resolve(lakehouse);
        Schema ts = DataProfiler.schemaOf(lakehouse, target);
        Schema bs = DataProfiler.schemaOf(lakehouse, baseline);
        Instant now = clock.instant();
        Instant end = null;
        Instant start = null;
        String where = "";
        if (spec.window() != null) {
            if (spec.timeColumn() == null || ts.field(spec.timeColumn()).isEmpty()) {
                throw new InvalidArgumentException("Table " + target + " has no time column '" + spec.timeColumn()
                        + "' to cut a window from; columns are " + ts.names() + ".");
            }
            end = spec.windowEnd() != null ? spec.windowEnd() : now;
            start = end.minus(spec.window());
            String c = DataProfiler.quote(spec.timeColumn());
            where = " WHERE " + c + " >= " + timestampLiteral(start) + " AND " + c + " < " + timestampLiteral(end);
        }
        if (spec.filter() != null && !spec.filter().isBlank()) {
            where = (where.isEmpty() ? " WHERE " : where + " AND ") + "(" + spec.filter() + ")";
        }
        List<Column> features = new ArrayList<>();
        List<String> names = spec.features().isEmpty() ? ts.names() : spec.features();
        for (String name : names) {
            Field tf = ts.field(name).orElse(null);
            Field bf = bs.field(name).orElse(null);
            if (!spec.features().isEmpty() && (tf == null || bf == null)) {
                throw new InvalidArgumentException("Feature '" + name + "' is missing from "
                        + (tf == null ? target : baseline) + ".");
            }
            if (tf == null || bf == null || name.equals(spec.timeColumn()) || name.equals(spec.labelColumn())
                    || BOOKKEEPING.contains(name) || DataProfiler.isTime(tf.type())
                    || !(tf.type() instanceof DataType.Primitive || tf.type() instanceof DataType.Decimal)) {
                continue;
            }
            features.add(new Column(name, DataProfiler.isNumeric(tf.type()) && DataProfiler.isNumeric(bf.type())));
        }
        String pred = spec.predictionColumn() != null && ts.field(spec.predictionColumn()).isPresent()
                ? spec.predictionColumn() : null;
        String label = pred != null && spec.labelColumn() != null && ts.field(spec.labelColumn()).isPresent()
                ? spec.labelColumn() : null;

        List<String> targetCols = new ArrayList<>(features.stream().map(Column::name).toList());
        boolean predIsFeature = targetCols.contains(pred);
        if (pred != null && !predIsFeature) {
            targetCols.add(pred);
        }
        if (label != null) {
            targetCols.add(label);
        }
        List<Object[]> current = read(target, targetCols, where);
        List<Object[]> base = read(baseline, features.stream().map(Column::name).toList(), "");

        List<MetricRecord> metrics = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        Instant ws = start;
        Instant we = end;
        java.util.function.BiConsumer<String, Map<String, Double>> emit = (feature, stats) -> stats.forEach((s, v) -> {
            boolean alert = false;
            for (Threshold t : spec.thresholds()) {
                if (t.applies(feature, s) && t.breached(v)) {
                    alert = true;
                    alerts.add(new Alert(target, baseline, ws, we, feature, s, v, t));
                }
            }
            metrics.add(new MetricRecord(feature, s, v, alert));
        });
        emit.accept("*", Map.of("rows", (double) current.size(), "baseline_rows", (double) base.size()));
        for (int i = 0; i < features.size(); i++) {
            Column col = features.get(i);
            if (col.numeric()) {
                emit.accept(col.name(), DriftStatistics.numericDrift(doubles(base, i), doubles(current, i), spec.bins()));
            } else {
                emit.accept(col.name(), DriftStatistics.categoricalDrift(strings(base, i), strings(current, i)));
            }
        }
        if (pred != null) {
            int pi = targetCols.indexOf(pred);
            double[] p = doubles(current, pi);
            if (!predIsFeature) {
                DriftStatistics.NumericSummary s = DriftStatistics.summarize(p);
                Map<String, Double> stats = new java.util.LinkedHashMap<>();
                stats.put("count", (double) s.count());
                stats.put("null_rate", s.nullRate());
                stats.put("mean", s.mean());
                stats.put("stddev", s.stddev());
                stats.put("min", s.min());
                stats.put("max", s.max());
                for (int q = 1; q < s.quantiles().length - 1; q++) {
                    stats.put("p" + (q * 10), s.quantiles()[q]);
                }
                emit.accept(pred, stats);
            }
            if (label != null) {
                double[] y = doubles(current, targetCols.indexOf(label));
                Map<String, Double> stats = new java.util.LinkedHashMap<>();
                long labelled = java.util.Arrays.stream(y).filter(v -> !Double.isNaN(v)).count();
                stats.put("labelled", (double) labelled);
                if (labelled > 0) {
                    boolean binary = java.util.Arrays.stream(y).allMatch(v -> Double.isNaN(v) || v == 0 || v == 1);
                    if (binary) {
                        stats.put("auc", DriftStatistics.auc(y, p));
                        stats.put("logloss", DriftStatistics.logloss(y, p));
                    }
                    stats.put("rmse", DriftStatistics.rmse(y, p));
                }
                emit.accept(pred, stats);
            }
        }
        long metricsVersion = spec.metricsTable() == null ? -1 : write(spec.metricsTable(), target, baseline, ws, we, now, metrics);
        MonitorResult result = new MonitorResult(target, baseline, ws, we, now, current.size(), base.size(),
                List.copyOf(metrics), List.copyOf(alerts), metricsVersion);
        for (Alert a : alerts) {
            for (AlertListener l : listeners) {
                l.onAlert(a);
            }
        }
        return result;
    }

    private List<Object[]> read(TableRef ref, List<String> columns, String where) {
        List<Object[]> out = new ArrayList<>();
        if (columns.isEmpty()) {
            try (Rows rows = lakehouse.sql("SELECT count(*) FROM " + ref.sql() + where)) {
                rows.next();
                long n = ((Number) rows.get(0)).longValue();
                for (long i = 0; i < n; i++) {
                    out.add(new Object[0]);
                }
            }
            return out;
        }
        String select = String.join(", ", columns.stream().map(DataProfiler::quote).toList());
        try (Rows rows = lakehouse.sql("SELECT " + select + " FROM " + ref.sql() + where)) {
            while (rows.next()) {
                Object[] row = new Object[columns.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rows.get(i);
                }
                out.add(row);
            }
        }
        return out;
    }

    private static double[] doubles(List<Object[]> rows, int column) {
        double[] out = new double[rows.size()];
        for (int r = 0; r < out.length; r++) {
            Object v = rows.get(r)[column];
            out[r] = v == null ? Double.NaN : v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
        }
        return out;
    }

    private static List<String> strings(List<Object[]> rows, int column) {
        List<String> out = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            out.add(row[column] == null ? null : row[column].toString());
        }
        return out;
    }

    private long write(String name, TableRef target, TableRef baseline, Instant ws, Instant we, Instant now,
            List<MetricRecord> metrics) {
        Table table = metricsTable(lakehouse, name);
        List<Object[]> rows = new ArrayList<>(metrics.size());
        for (MetricRecord m : metrics) {
            rows.add(new Object[] {ws, we, now, target.name(), target.version(), baseline.name(), baseline.version(),
                    m.feature(), m.statistic(), Double.isNaN(m.value()) ? null : m.value(), m.alert()});
        }
        return table.append(WriteSource.values(rows)).version();
    }

    static Table metricsTable(Lakehouse lakehouse, String name) {
        if (lakehouse.tableExists(name)) {
            return lakehouse.table(name);
        }
        lakehouse.createSchemaIfNotExists(name.substring(0, name.indexOf('.')));
        try {
            return lakehouse.createTable(TableDefinition.builder(name).schema(METRICS_SCHEMA)
                    .description("Monitoring statistics: one row per window, feature and statistic.").build());
        } catch (dev.kiln.AlreadyExistsException e) {
            return lakehouse.table(name);
        }
    }
}
