package dev.kiln.report;

import java.util.List;
import java.util.Locale;

/** Small inline-SVG charts: line charts, scatter plots and horizontal bars, each point carrying its data. */
final class Svg {
    static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
        "#bcbd22", "#17becf"};
    /** Page styles both reports share. */
    static final String PAGE_CSS = "body{font-family:system-ui,sans-serif;margin:24px;color:#222}h1{margin-bottom:4px}"
            + ".charts{display:flex;flex-wrap:wrap;gap:12px}.chart{border:1px solid #ddd;background:#fff}.title{font-size:13px;font-weight:600}"
            + ".tick{font-size:10px}.axis{font-size:11px}table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #ddd;padding:3px 6px}"
            + "th{background:#f4f4f4}";
    private static final int W = 520;

    /** Writes a report page as {@code index.html} in {@code outDir} (created if missing). */
    static java.nio.file.Path writePage(java.nio.file.Path outDir, CharSequence html, String what) {
        try {
            java.nio.file.Files.createDirectories(outDir);
            java.nio.file.Path page = outDir.resolve("index.html");
            java.nio.file.Files.writeString(page, html, java.nio.charset.StandardCharsets.UTF_8);
            return page;
        } catch (java.io.IOException e) {
            throw new dev.kiln.StorageException("Cannot write the " + what + " into " + outDir + ": " + e.getMessage(), e);
        }
    }
    private static final int H = 260;
    private static final int PAD = 42;

    private Svg() {
    }

    /** One named series of (x, y) points. */
    record Series(String name, double[] x, double[] y) {
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static double[] range(List<Series> series, boolean xAxis) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : xAxis ? s.x() : s.y()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!Double.isFinite(lo)) {
            return new double[] {0, 1};
        }
        if (hi == lo) {
            hi = lo + 1;
        }
        return new double[] {lo, hi};
    }

    private static String frame(String title, double[] xr, double[] yr, String xLabel, String yLabel) {
        StringBuilder sb = new StringBuilder();
        sb.append("<text x=\"").append(W / 2).append("\" y=\"16\" text-anchor=\"middle\" class=\"title\">").append(esc(title)).append("</text>");
        sb.append("<line x1=\"").append(PAD).append("\" y1=\"").append(H - PAD).append("\" x2=\"").append(W - 10).append("\" y2=\"")
                .append(H - PAD).append("\" stroke=\"#444\"/>");
        sb.append("<line x1=\"").append(PAD).append("\" y1=\"24\" x2=\"").append(PAD).append("\" y2=\"").append(H - PAD)
                .append("\" stroke=\"#444\"/>");
        sb.append("<text x=\"").append(PAD).append("\" y=\"").append(H - PAD + 14).append("\" class=\"tick\">").append(num(xr[0])).append("</text>");
        sb.append("<text x=\"").append(W - 10).append("\" y=\"").append(H - PAD + 14).append("\" text-anchor=\"end\" class=\"tick\">")
                .append(num(xr[1])).append("</text>");
        sb.append("<text x=\"").append(PAD - 4).append("\" y=\"").append(H - PAD).append("\" text-anchor=\"end\" class=\"tick\">")
                .append(num(yr[0])).append("</text>");
        sb.append("<text x=\"").append(PAD - 4).append("\" y=\"30\" text-anchor=\"end\" class=\"tick\">").append(num(yr[1])).append("</text>");
        sb.append("<text x=\"").append(W / 2).append("\" y=\"").append(H - 6).append("\" text-anchor=\"middle\" class=\"axis\">")
                .append(esc(xLabel)).append("</text>");
        sb.append("<text x=\"12\" y=\"").append(H / 2).append("\" transform=\"rotate(-90 12 ").append(H / 2)
                .append(")\" text-anchor=\"middle\" class=\"axis\">").append(esc(yLabel)).append("</text>");
        return sb.toString();
    }

    private static double px(double v, double[] r) {
        return PAD + (v - r[0]) / (r[1] - r[0]) * (W - 10 - PAD);
    }

    private static double py(double v, double[] r) {
        return H - PAD - (v - r[0]) / (r[1] - r[0]) * (H - PAD - 24);
    }

    static String lines(String title, List<Series> series, String xLabel, String yLabel) {
        double[] xr = range(series, true);
        double[] yr = range(series, false);
        StringBuilder sb = new StringBuilder("<svg class=\"chart line-chart\" viewBox=\"0 0 " + W + " " + H + "\" width=\"" + W + "\" height=\""
                + H + "\">");
        sb.append(frame(title, xr, yr, xLabel, yLabel));
        int i = 0;
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            for (int k = 0; k < s.x().length; k++) {
                if (Double.isFinite(s.y()[k])) {
                    points.append(num(px(s.x()[k], xr))).append(',').append(num(py(s.y()[k], yr))).append(' ');
                }
            }
            sb.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(PALETTE[i++ % PALETTE.length]).append("\" data-series=\"")
                    .append(esc(s.name())).append("\" data-count=\"").append(s.x().length).append("\" points=\"").append(points.toString().trim())
                    .append("\"><title>").append(esc(s.name())).append("</title></polyline>");
        }
        return sb.append(legend(series)).append("</svg>").toString();
    }

    /** Names the first series in their colours at the top right, so a printed chart still reads. */
    private static String legend(List<Series> series) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(series.size(), PALETTE.length); i++) {
            sb.append("<text x=\"").append(W - 14).append("\" y=\"").append(36 + 12 * i).append("\" text-anchor=\"end\" class=\"tick legend\" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\" fill=\"")
                    .append(PALETTE[i]).append("\">").append(esc(series.get(i).name())).append("</text>");
        }
        return sb.toString();
    }

    static String scatter(String title, Series points, String xLabel, String yLabel, List<String> labels) {
        double[] xr = range(List.of(points), true);
        double[] yr = range(List.of(points), false);
        StringBuilder sb = new StringBuilder("<svg class=\"chart scatter\" viewBox=\"0 0 " + W + " " + H + "\" width=\"" + W + "\" height=\""
                + H + "\">");
        sb.append(frame(title, xr, yr, xLabel, yLabel));
        for (int k = 0; k < points.x().length; k++) {
            if (!Double.isFinite(points.x()[k]) || !Double.isFinite(points.y()[k])) {
                continue;
            }
            sb.append("<circle r=\"4\" fill=\"#1f77b4\" fill-opacity=\"0.7\" cx=\"").append(num(px(points.x()[k], xr))).append("\" cy=\"")
                    .append(num(py(points.y()[k], yr))).append("\" data-x=\"").append(points.x()[k]).append("\" data-y=\"").append(points.y()[k])
                    .append("\"><title>").append(esc(labels.get(k))).append(": ").append(num(points.y()[k])).append("</title></circle>");
        }
        return sb.append("</svg>").toString();
    }

    static String bars(String title, List<String> names, double[] values) {
        int rowH = 18;
        int height = 30 + rowH * names.size();
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        StringBuilder sb = new StringBuilder("<svg class=\"chart bars\" viewBox=\"0 0 " + W + " " + height + "\" width=\"" + W + "\" height=\""
                + height + "\">");
        sb.append("<text x=\"").append(W / 2).append("\" y=\"16\" text-anchor=\"middle\" class=\"title\">").append(esc(title)).append("</text>");
        for (int i = 0; i < names.size(); i++) {
            double w = max == 0 ? 0 : values[i] / max * (W - 200);
            int y = 26 + i * rowH;
            sb.append("<text x=\"176\" y=\"").append(y + 12).append("\" text-anchor=\"end\" class=\"tick\">").append(esc(names.get(i))).append("</text>");
            sb.append("<rect x=\"180\" y=\"").append(y).append("\" height=\"").append(rowH - 4).append("\" width=\"").append(num(w))
                    .append("\" fill=\"#2ca02c\" data-value=\"").append(values[i]).append("\"><title>").append(num(values[i])).append("</title></rect>");
        }
        return sb.append("</svg>").toString();
    }
}
