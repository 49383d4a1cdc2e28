package dev.kiln.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.NotFoundException;
import dev.kiln.StorageException;
import dev.kiln.experiments.DatasetInput;
import dev.kiln.experiments.Experiments;
import dev.kiln.experiments.MetricPoint;
import dev.kiln.experiments.RunPage;
import dev.kiln.experiments.RunQuery;
import dev.kiln.experiments.RunRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes a self-contained HTML report of an experiment (no network, no CDN; charts are inline SVG):
 * metric curves by boosting round for the best runs, each numeric parameter against the chosen
 * metric, the runs table sortable by any column, the feature importance of the best run, and the
 * lineage of the best run from its input tables to its model.
 */
public final class ExperimentReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CURVE_RUNS = 8;

    private ExperimentReport() {
    }

    /**
     * Writes {@code index.html} for an experiment into a folder.
     *
     * @param experiments the tracking store
     * @param experiment the experiment name
     * @param outDir the folder to write into (created if missing)
     * @return the page written
     * @throws NotFoundException if the experiment does not exist or has no run
     * @throws StorageException if the page cannot be written
     */
    public static Path write(Experiments experiments, String experiment, Path outDir) {
        List<RunRecord> runs = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        String token = null;
        do {
            RunPage page = experiments.searchRuns(RunQuery.builder(experiment).maxResults(1000).pageToken(token).build());
            int before = runs.size();
            for (RunRecord r : page.runs()) {
                if (seen.add(r.info().runId())) {
                    runs.add(r);
                }
            }
            token = runs.size() == before || page.runs().size() < 1000 ? null : page.nextPageToken();
        } while (token != null && runs.size() < 20_000);
        if (runs.isEmpty()) {
            throw new NotFoundException("Experiment '" + experiment + "' has no run to report on.");
        }
        String metric = chosenMetric(runs);
        List<RunRecord> scored = new ArrayList<>(runs.stream().filter(r -> r.data().metrics().containsKey(metric)).toList());
        boolean maximize = !metric.contains("loss") && !metric.contains("error") && !metric.contains("rmse") && !metric.contains("mae");
        Comparator<RunRecord> byMetric = Comparator.comparingDouble(r -> r.data().metrics().get(metric));
        scored.sort(maximize ? byMetric.reversed() : byMetric);
        RunRecord best = scored.isEmpty() ? runs.get(0) : scored.get(0);

        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Kiln report: ").append(Svg.esc(experiment))
                .append("</title><style>").append(CSS).append("</style></head><body>");
        html.append("<h1>Experiment ").append(Svg.esc(experiment)).append("</h1>");
        html.append("<p class=\"summary\">").append(runs.size()).append(" runs; compared by <b>").append(Svg.esc(metric)).append("</b> (")
                .append(maximize ? "higher" : "lower").append(" is better). Best: run <code>").append(Svg.esc(best.info().runId()))
                .append("</code>").append(scored.isEmpty() ? "" : String.format(java.util.Locale.ROOT, " with %.5f", best.data().metrics().get(metric)))
                .append(". Generated ").append(Instant.now()).append(".</p>");

        html.append("<h2>Metric curves by boosting round</h2><div class=\"charts\" id=\"curves\">");
        List<RunRecord> top = scored.subList(0, Math.min(CURVE_RUNS, scored.size()));
        List<String> curveMetrics = new ArrayList<>();
        curveMetrics.add(metric);
        if (metric.startsWith("eval-")) {
            curveMetrics.add("train-" + metric.substring(5));
        }
        for (String key : curveMetrics) {
            List<Svg.Series> series = new ArrayList<>();
            for (RunRecord r : top) {
                List<MetricPoint> history = experiments.metricHistory(r.info().runId(), key);
                if (history.size() > 1) {
                    series.add(new Svg.Series(label(r), history.stream().mapToDouble(MetricPoint::step).toArray(),
                            history.stream().mapToDouble(MetricPoint::value).toArray()));
                }
            }
            if (!series.isEmpty()) {
                html.append(Svg.lines(key + " (top " + series.size() + " runs)", series, "round", key));
            }
        }
        html.append("</div>");

        html.append("<h2>Parameters against ").append(Svg.esc(metric)).append("</h2><div class=\"charts\" id=\"params\">");
        TreeSet<String> paramKeys = new TreeSet<>();
        runs.forEach(r -> paramKeys.addAll(r.data().params().keySet()));
        for (String param : paramKeys) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (RunRecord r : scored) {
                Double x = number(r.data().params().get(param));
                if (x != null) {
                    xs.add(x);
                    ys.add(r.data().metrics().get(metric));
                    labels.add(label(r));
                }
            }
            if (xs.size() >= 2 && xs.stream().distinct().count() > 1) {
                html.append(Svg.scatter(param, new Svg.Series(param, xs.stream().mapToDouble(Double::doubleValue).toArray(),
                        ys.stream().mapToDouble(Double::doubleValue).toArray()), param, metric, labels));
            }
        }
        html.append("</div>");

        html.append("<h2>Runs</h2><p class=\"hint\">Click a column to sort.</p>");
        html.append(runsTable(runs));

        html.append("<h2>Feature importance of the best run</h2><div id=\"importance\">");
        html.append(importance(experiments, best));
        html.append("</div><h2>Lineage of the best run</h2><div id=\"lineage\">").append(lineage(best)).append("</div>");
        html.append("<script>").append(SCRIPT).append("</script></body></html>");
        return Svg.writePage(outDir, html, "report");
    }

    static String chosenMetric(List<RunRecord> runs) {
        for (RunRecord r : runs) {
            String tagged = r.data().tags().get("kiln.search.metric");
            if (tagged != null) {
                return tagged;
            }
        }
        TreeSet<String> keys = new TreeSet<>();
        runs.forEach(r -> keys.addAll(r.data().metrics().keySet()));
        return keys.stream().filter(k -> k.startsWith("eval-")).findFirst().orElse(keys.isEmpty() ? "none" : keys.first());
    }

    private static String label(RunRecord r) {
        String name = r.info().runName();
        return (name == null || name.isBlank() ? "" : name + " ") + r.info().runId().substring(0, Math.min(8, r.info().runId().length()));
    }

    private static Double number(String text) {
        if (text == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(text);
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String runsTable(List<RunRecord> runs) {
        TreeSet<String> params = new TreeSet<>();
        TreeSet<String> metrics = new TreeSet<>();
        for (RunRecord r : runs) {
            params.addAll(r.data().params().keySet());
            metrics.addAll(r.data().metrics().keySet());
        }
        StringBuilder sb = new StringBuilder("<table id=\"runs\" class=\"sortable\"><thead><tr><th>run</th><th>status</th><th>start</th>");
        params.forEach(p -> sb.append("<th>").append(Svg.esc(p)).append("</th>"));
        metrics.forEach(m -> sb.append("<th>").append(Svg.esc(m)).append("</th>"));
        sb.append("</tr></thead><tbody>");
        for (RunRecord r : runs) {
            sb.append("<tr><td>").append(Svg.esc(label(r))).append("</td><td>").append(r.info().status()).append("</td><td>")
                    .append(Instant.ofEpochMilli(r.info().startTime())).append("</td>");
            for (String p : params) {
                sb.append("<td>").append(Svg.esc(r.data().params().getOrDefault(p, ""))).append("</td>");
            }
            for (String m : metrics) {
                Double v = r.data().metrics().get(m);
                sb.append("<td>").append(v == null ? "" : String.format(java.util.Locale.ROOT, "%.5g", v)).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</tbody></table>").toString();
    }

    private static String importance(Experiments experiments, RunRecord best) {
        try (InputStream in = experiments.openArtifact(best.info().runId(), "model/feature_importance.json")) {
            JsonNode gain = JSON.readTree(in).path("gain");
            Map<String, Double> values = new LinkedHashMap<>();
            gain.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asDouble()));
            List<Map.Entry<String, Double>> sorted = new ArrayList<>(values.entrySet());
            sorted.sort(Map.Entry.<String, Double>comparingByValue().reversed());
            sorted = sorted.subList(0, Math.min(20, sorted.size()));
            return Svg.bars("gain", sorted.stream().map(Map.Entry::getKey).toList(), sorted.stream().mapToDouble(Map.Entry::getValue).toArray());
        } catch (IOException | RuntimeException e) {
            return "<p>The best run has no feature importance artifact (model/feature_importance.json).</p>";
        }
    }

    private static String lineage(RunRecord best) {
        List<DatasetInput> inputs = best.inputs();
        int rows = Math.max(1, inputs.size());
        int height = 40 + rows * 40;
        StringBuilder sb = new StringBuilder("<svg class=\"chart lineage\" viewBox=\"0 0 720 " + height + "\" width=\"720\" height=\"" + height
                + "\">");
        int runY = height / 2 - 15;
        for (int i = 0; i < inputs.size(); i++) {
            DatasetInput in = inputs.get(i);
            int y = 20 + i * 40;
            sb.append("<rect x=\"10\" y=\"").append(y).append("\" width=\"230\" height=\"30\" rx=\"4\" fill=\"#e8f0fe\" stroke=\"#1f77b4\" data-node=\"table\"/>")
                    .append("<text x=\"20\" y=\"").append(y + 19).append("\" class=\"tick\">").append(Svg.esc(in.name() + " v" + in.version()
                            + " (" + in.context() + ")")).append("</text>");
            sb.append("<line x1=\"240\" y1=\"").append(y + 15).append("\" x2=\"300\" y2=\"").append(runY + 15).append("\" stroke=\"#444\" marker-end=\"url(#arrow)\"/>");
        }
        sb.append("<defs><marker id=\"arrow\" markerWidth=\"8\" markerHeight=\"8\" refX=\"8\" refY=\"4\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#444\"/></marker></defs>");
        sb.append("<rect x=\"300\" y=\"").append(runY).append("\" width=\"200\" height=\"30\" rx=\"4\" fill=\"#fff3e0\" stroke=\"#ff7f0e\" data-node=\"run\"/>")
                .append("<text x=\"310\" y=\"").append(runY + 19).append("\" class=\"tick\">run ").append(Svg.esc(label(best))).append("</text>");
        String model = best.data().tags().getOrDefault("kiln.model.artifact", "model");
        sb.append("<line x1=\"500\" y1=\"").append(runY + 15).append("\" x2=\"540\" y2=\"").append(runY + 15).append("\" stroke=\"#444\" marker-end=\"url(#arrow)\"/>");
        sb.append("<rect x=\"540\" y=\"").append(runY).append("\" width=\"170\" height=\"30\" rx=\"4\" fill=\"#e8f5e9\" stroke=\"#2ca02c\" data-node=\"model\"/>")
                .append("<text x=\"550\" y=\"").append(runY + 19).append("\" class=\"tick\">").append(Svg.esc(model)).append("</text>");
        return sb.append("</svg>").toString();
    }

    private static final String CSS = Svg.PAGE_CSS + "th{cursor:pointer;position:sticky;top:0}.hint{font-size:12px;color:#666}";

    /** Sorting by column (numbers numerically, empty cells last); marks the page ready for tests. */
    private static final String SCRIPT = "(function(){var t=document.getElementById('runs');"
            + "t.querySelectorAll('th').forEach(function(th,i){var asc=true;th.addEventListener('click',function(){"
            + "var rows=Array.prototype.slice.call(t.tBodies[0].rows);rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent;"
            + "if(x===''&&y!=='')return 1;if(y===''&&x!=='')return -1;var nx=parseFloat(x),ny=parseFloat(y);"
            + "var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c;});asc=!asc;"
            + "rows.forEach(function(r){t.tBodies[0].appendChild(r);});});});"
            + "document.body.setAttribute('data-ready',String(document.querySelectorAll('svg polyline, svg circle, svg rect').length));})();";
}
