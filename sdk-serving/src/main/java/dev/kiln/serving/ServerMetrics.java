package dev.kiln.serving;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counts, a latency histogram and errors per route, rows scored per model version, and
 * the version each model serves, written in the Prometheus text exposition format (version 0.0.4).
 * Recording is a few uncontended adds, so it costs the hot path next to nothing.
 */
final class ServerMetrics {
    /** Histogram bucket upper bounds in seconds: fine below a millisecond, where loopback scoring lands. */
    private static final double[] BOUNDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};

    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> predictions = new ConcurrentHashMap<>();
    private final LongAdder inFlight = new LongAdder();

    /** Counters of one route. */
    private static final class Route {
        final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
        final DoubleAdder seconds = new DoubleAdder();
        final LongAdder count = new LongAdder();

        Route() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }
    }

    void started() {
        inFlight.increment();
    }

    long inFlight() {
        return inFlight.sum();
    }

    void finished(String route, int status, long nanos) {
        inFlight.decrement();
        Route r = routes.computeIfAbsent(route, k -> new Route());
        r.byStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
        double seconds = nanos / 1e9;
        int b = 0;
        while (b < BOUNDS.length && seconds > BOUNDS[b]) {
            b++;
        }
        r.buckets[b].increment();
        r.seconds.add(seconds);
        r.count.increment();
    }

    void scored(String model, long version, int rows) {
        predictions.computeIfAbsent(model + "\u0000" + version, k -> new LongAdder()).add(rows);
    }

    /** The exposition text; {@code models} gives the version each served model answers with now. */
    String scrape(Collection<ServedModel> models) {
        StringBuilder out = new StringBuilder(4096);
        Map<String, Route> sorted = new TreeMap<>(routes);
        out.append("# HELP kiln_requests_total Requests answered, by route and HTTP status.\n# TYPE kiln_requests_total counter\n");
        sorted.forEach((route, r) -> new TreeMap<>(r.byStatus).forEach((status, n) -> out.append("kiln_requests_total{route=\"")
                .append(escape(route)).append("\",status=\"").append(status).append("\"} ").append(n.sum()).append('\n')));
        out.append("# HELP kiln_request_errors_total Requests answered with a 4xx or 5xx status, by route and status.\n"
                + "# TYPE kiln_request_errors_total counter\n");
        sorted.forEach((route, r) -> new TreeMap<>(r.byStatus).forEach((status, n) -> {
            if (status >= 400) {
                out.append("kiln_request_errors_total{route=\"").append(escape(route)).append("\",status=\"").append(status).append("\"} ")
                        .append(n.sum()).append('\n');
            }
        }));
        out.append("# HELP kiln_request_duration_seconds Time from routing a request to its answer, by route.\n"
                + "# TYPE kiln_request_duration_seconds histogram\n");
        sorted.forEach((route, r) -> {
            long cumulative = 0;
            for (int b = 0; b < r.buckets.length; b++) {
                cumulative += r.buckets[b].sum();
                out.append("kiln_request_duration_seconds_bucket{route=\"").append(escape(route)).append("\",le=\"")
                        .append(b < BOUNDS.length ? Double.toString(BOUNDS[b]) : "+Inf").append("\"} ").append(cumulative).append('\n');
            }
            out.append("kiln_request_duration_seconds_sum{route=\"").append(escape(route)).append("\"} ").append(r.seconds.sum()).append('\n');
            out.append("kiln_request_duration_seconds_count{route=\"").append(escape(route)).append("\"} ").append(r.count.sum()).append('\n');
        });
        out.append("# HELP kiln_requests_in_flight Requests being answered now.\n# TYPE kiln_requests_in_flight gauge\n")
                .append("kiln_requests_in_flight ").append(inFlight.sum()).append('\n');
        out.append("# HELP kiln_predictions_total Rows scored, by model and the version that scored them.\n"
                + "# TYPE kiln_predictions_total counter\n");
        new TreeMap<>(predictions).forEach((key, n) -> {
            int split = key.indexOf('\u0000');
            out.append("kiln_predictions_total{model=\"").append(escape(key.substring(0, split))).append("\",version=\"")
                    .append(key.substring(split + 1)).append("\"} ").append(n.sum()).append('\n');
        });
        out.append("# HELP kiln_model_version The registry version each served model scores with now.\n# TYPE kiln_model_version gauge\n");
        for (ServedModel m : models) {
            out.append("kiln_model_version{model=\"").append(escape(m.name())).append("\",uri=\"").append(escape(m.uri().toString()))
                    .append("\"} ").append(m.pinned().version()).append('\n');
        }
        return out.toString();
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
