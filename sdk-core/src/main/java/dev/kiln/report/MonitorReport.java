package dev.kiln.report;

import dev.kiln.NotFoundException;
import dev.kiln.StorageException;
import dev.kiln.lakehouse.Lakehouse;
import dev.kiln.lakehouse.Rows;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A self-contained HTML page of drift over time for one monitored table: for each drift statistic a
 * line chart with one line per feature across the monitor's windows, the prediction's distribution
 * and, once labels were joined, the model's metric, then every alert raised.
 */
public final class MonitorReport {
    /** Statistics charted per feature, in page order. */
    private static final List<String> DRIFT = List.of("psi", "js", "ks", "null_rate", "mean");
    /** Statistics of the prediction column that describe the model rather than one input. */
    private static final List<String> MODEL = List.of("auc", "logloss", "rmse");

    private MonitorReport() {
    }

    /** One metrics-table row. */
    private record Point(Instant windowEnd, String feature, String statistic, double value, boolean alert) {
    }

    /**
     * Writes {@code index.html} of the drift of a monitored table into a folder.
     *
     * @param lakehouse the lakehouse holding the metrics table
     * @param target the monitored table as the metrics table names it (for a model, its inference
     *     table, e.g. {@code inference.churn})
     * @param metricsTable the metrics table, e.g. {@code monitoring.metrics}
     * @param outDir the folder to write into (created if missing)
     * @return the page written
     * @throws NotFoundException if the metrics table does not exist or holds no row for the target
     * @throws StorageException if the page cannot be written
     */
    public static Path write(Lakehouse lakehouse, String target, String metricsTable, Path outDir) {
        if (!lakehouse.tableExists(metricsTable)) {
            throw new NotFoundException("Metrics table " + metricsTable + " does not exist; run a monitor first (kiln monitor run ...).");
        }
        List<Point> points = read(lakehouse, target, metricsTable);
        if (points.isEmpty()) {
            throw new NotFoundException("Metrics table " + metricsTable + " has no window for " + target
                    + "; run a monitor on it first (kiln monitor run " + target + " ...).");
        }
        Instant first = points.get(0).windowEnd();
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Kiln drift: ").append(Svg.esc(target))
                .append("</title><style>").append(Svg.PAGE_CSS).append("</style></head><body>");
        long windows = points.stream().map(Point::windowEnd).distinct().count();
        html.append("<h1>Drift of ").append(Svg.esc(target)).append("</h1><p class=\"summary\">").append(windows)
                .append(" monitor windows from ").append(first).append(" to ").append(points.get(points.size() - 1).windowEnd())
                .append("; x axis: hours after the first window's end. Generated ").append(Instant.now()).append(".</p>");

        html.append("<h2>Drift by feature</h2><div class=\"charts\" id=\"drift\">");
        for (String statistic : DRIFT) {
            List<Svg.Series> series = series(points, first, statistic, p -> !p.feature().equals("*"));
            if (!series.isEmpty()) {
                html.append(Svg.lines(statistic + " per window", series, "hours", statistic));
            }
        }
        html.append("</div><h2>Model</h2><div class=\"charts\" id=\"model\">");
        for (String statistic : MODEL) {
            List<Svg.Series> series = series(points, first, statistic, p -> true);
            if (!series.isEmpty()) {
                html.append(Svg.lines(statistic + " per window", series, "hours", statistic));
            }
        }
        List<Svg.Series> rows = series(points, first, "rows", p -> p.feature().equals("*"));
        if (!rows.isEmpty()) {
            html.append(Svg.lines("rows per window", rows, "hours", "rows"));
        }
        html.append("</div><h2>Alerts</h2>").append(alerts(points));
        html.append("<script>document.body.setAttribute('data-ready',String(document.querySelectorAll('svg polyline').length));</script>");
        html.append("</body></html>");
        return Svg.writePage(outDir, html, "drift report");
    }

    private static List<Point> read(Lakehouse lakehouse, String target, String metricsTable) {
        List<Point> points = new ArrayList<>();
        String sql = "SELECT window_end, computed_at, feature, statistic, value, alert FROM " + metricsTable
                + " WHERE target = '" + target.replace("'", "''") + "' AND value IS NOT NULL ORDER BY coalesce(window_end, computed_at)";
        try (Rows r = lakehouse.sql(sql)) {
            while (r.next()) {
                Instant end = instant(r.get(0) != null ? r.get(0) : r.get(1));
                points.add(new Point(end, (String) r.get(2), (String) r.get(3), ((Number) r.get(4)).doubleValue(), Boolean.TRUE.equals(r.get(5))));
            }
        }
        return points;
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("Unexpected timestamp value " + value);
    }

    private static List<Svg.Series> series(List<Point> points, Instant first, String statistic, java.util.function.Predicate<Point> keep) {
        Map<String, TreeMap<Double, Double>> byFeature = new LinkedHashMap<>();
        for (Point p : points) {
            if (p.statistic().equals(statistic) && keep.test(p) && Double.isFinite(p.value())) {
                double hours = (p.windowEnd().toEpochMilli() - first.toEpochMilli()) / 3_600_000.0;
                byFeature.computeIfAbsent(p.feature(), f -> new TreeMap<>()).put(hours, p.value());
            }
        }
        List<Svg.Series> series = new ArrayList<>();
        byFeature.forEach((feature, values) -> series.add(new Svg.Series(feature,
                values.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
                values.values().stream().mapToDouble(Double::doubleValue).toArray())));
        return series;
    }

    private static String alerts(List<Point> points) {
        List<Point> alerts = points.stream().filter(Point::alert).toList();
        if (alerts.isEmpty()) {
            return "<p id=\"alerts\">No statistic crossed its threshold.</p>";
        }
        StringBuilder sb = new StringBuilder("<table id=\"alerts\"><thead><tr><th>window end</th><th>feature</th><th>statistic</th>"
                + "<th>value</th></tr></thead><tbody>");
        for (Point p : alerts) {
            sb.append("<tr><td>").append(p.windowEnd()).append("</td><td>").append(Svg.esc(p.feature())).append("</td><td>")
                    .append(Svg.esc(p.statistic())).append("</td><td>").append(String.format(java.util.Locale.ROOT, "%.4f", p.value()))
                    .append("</td></tr>");
        }
        return sb.append("</tbody></table>").toString();
    }
}
