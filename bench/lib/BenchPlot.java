import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Draws a bench/run.sh result as one SVG: heartbeat latency percentiles over time, the console's
 * (or agent's) CPU and memory over time, and operations per second, with the run's phases marked.
 * Dependency-free (JDK only) so it runs wherever the benchmark runs:
 * <pre>java bench/lib/BenchPlot.java RESULT.json [OUT.svg]</pre>
 * Series are told apart by line style, marker and legend as well as colour; the SVG carries a
 * {@code <title>} and a {@code <desc>} that says in words what each panel shows.
 */
public final class BenchPlot {
    private static final int WIDTH = 960;
    private static final int PANEL_HEIGHT = 210;
    private static final int LEFT = 70;
    private static final int RIGHT = 250;
    private static final int TOP = 84;
    private static final int GAP = 58;
    /** Okabe–Ito colours (readable with colour-vision deficiencies), each with its own dash and marker. */
    private static final String[] COLOURS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"};
    private static final String[] DASHES = {"", "7 4", "2 3", "9 3 2 3", "4 2", "1 2"};
    private static final String[] MARKERS = {"circle", "square", "triangle", "diamond", "cross", "circle"};

    record Point(double t, double v) {
    }

    /** One line: its points in seconds since the run started. {@code steps}: a value holds until the next point. */
    record Series(String name, List<Point> points, boolean steps) {
    }

    record Panel(String title, String unit, boolean log, List<Series> series) {
    }

    record Band(String name, double from, double to) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2 || !args[0].endsWith(".json")) {
            System.err.println("usage: java BenchPlot.java RESULT.json [OUT.svg]");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = args.length == 2 ? Path.of(args[1])
                : in.resolveSibling(in.getFileName().toString().replaceFirst("\\.json$", ".svg"));
        Object parsed;
        try {
            parsed = new Json(Files.readString(in, StandardCharsets.UTF_8)).parse();
        } catch (IllegalArgumentException e) {
            System.err.println("BenchPlot: " + in + " is not JSON: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (!(parsed instanceof Map<?, ?> result) || !(result.get("scenario") instanceof String)) {
            System.err.println("BenchPlot: " + in + " is not a bench/run.sh result (no \"scenario\")");
            System.exit(1);
            return;
        }
        String svg = render(result);
        Files.writeString(out, svg, StandardCharsets.UTF_8);
        System.out.println(out);
    }

    static String render(Map<?, ?> r) {
        String scenario = str(r.get("scenario"));
        boolean agent = scenario.equals("agent-footprint");
        List<Map<?, ?>> samples = maps(r.get("samples"));
        double origin = agent ? 0 : origin(r, samples);
        List<Panel> panels = agent ? agentPanels(r, samples) : consolePanels(r, samples, origin);
        panels.removeIf(p -> p.series().stream().allMatch(s -> s.points().isEmpty()));
        List<Band> bands = agent ? List.of() : bands(r, origin);
        return new Svg(scenario, str(r.get("startedAt")), str(r.get("commit")), panels, bands, window(r, origin)).draw();
    }

    // ---- data -----------------------------------------------------------------------------------

    private static double origin(Map<?, ?> r, List<Map<?, ?>> samples) {
        double min = Double.MAX_VALUE;
        for (Map<?, ?> s : samples) {
            min = Math.min(min, num(s.get("t")));
        }
        for (Map<?, ?> p : maps(path(r, "simulator", "phases"))) {
            min = Math.min(min, num(p.get("startEpochMs")));
        }
        Object enroll = path(r, "simulator", "enrollment", "startEpochMs");
        if (enroll instanceof Double d && d > 0) {
            min = Math.min(min, d);
        }
        return min == Double.MAX_VALUE ? 0 : min;
    }

    private static List<Panel> consolePanels(Map<?, ?> r, List<Map<?, ?>> samples, double origin) {
        List<Panel> panels = new ArrayList<>();
        panels.add(new Panel("Heartbeat latency percentiles", "ms", true, latency(r, origin)));
        panels.add(new Panel("CPU (percent of one core)", "%", false, List.of(
                sampled("console CPU", samples, origin, "consoleCpuPercent"),
                sampled("PostgreSQL CPU", samples, origin, "postgresCpuPercent"),
                sampled("simulator CPU", samples, origin, "simulatorCpuPercent"))));
        panels.add(new Panel("Console memory", "MB", false, List.of(
                sampled("console RSS", samples, origin, "consoleRssMb"),
                sampled("console heap used", samples, origin, "consoleHeapUsedMb"),
                sampled("console live heap after GC", samples, origin, "consoleLiveHeapMb"))));
        panels.add(new Panel("Operations per second", "/s", false, operations(r, samples, origin)));
        return panels;
    }

    /** Per-interval percentiles when the simulator recorded a timeline; else one step per phase. */
    private static List<Series> latency(Map<?, ?> r, double origin) {
        List<Map<?, ?>> timeline = maps(path(r, "simulator", "timeline"));
        List<Series> out = new ArrayList<>();
        for (String p : List.of("p50", "p95", "p99")) {
            if (!timeline.isEmpty()) {
                // an interval without an answered heartbeat has no latency, not a latency of 0
                out.add(new Series("heartbeat " + p, points(timeline, origin, "endEpochMs",
                        m -> num(path(m, "latency", "count")) > 0 ? path(m, "latency", p) : null), false));
            } else {
                out.add(phaseSteps("heartbeat " + p + " (per phase)", r, origin, m -> path(m, "latency", p)));
            }
        }
        return out;
    }

    private static List<Series> operations(Map<?, ?> r, List<Map<?, ?>> samples, double origin) {
        List<Series> out = new ArrayList<>();
        List<Map<?, ?>> timeline = maps(path(r, "simulator", "timeline"));
        out.add(timeline.isEmpty()
                ? phaseSteps("heartbeats/s (per phase)", r, origin, m -> m.get("achievedPerSecond"))
                : new Series("heartbeats/s", points(timeline, origin, "endEpochMs", m -> m.get("okPerSecond")), false));
        List<Point> tps = new ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            Object a = samples.get(i - 1).get("dbTransactions");
            Object b = samples.get(i).get("dbTransactions");
            double dt = num(samples.get(i).get("t")) - num(samples.get(i - 1).get("t"));
            if (a instanceof Double x && b instanceof Double y && y >= x && dt > 0) {
                tps.add(new Point((num(samples.get(i).get("t")) - origin) / 1000, (y - x) * 1000 / dt));
            }
        }
        out.add(new Series("database transactions/s", tps, false));
        Map<?, ?> enroll = map(path(r, "simulator", "enrollment"));
        if (num(enroll.get("enrolled")) > 0 && num(enroll.get("durationMs")) > 0) {
            double from = (num(enroll.get("startEpochMs")) - origin) / 1000;
            double rate = num(enroll.get("perSecond"));
            out.add(new Series("enrollments/s (average)", List.of(new Point(from, rate),
                    new Point(from + num(enroll.get("durationMs")) / 1000, rate)), true));
        }
        List<Map<?, ?>> uploads = maps(path(r, "simulator", "workloads", "backups", "uploads"));
        if (!uploads.isEmpty()) {
            out.add(new Series("uploads MB/s (all together)", uploadRate(uploads, origin), true));
        }
        return out;
    }

    /** The aggregate upload rate over time: each upload counts at its own average rate while it runs. */
    private static List<Point> uploadRate(List<Map<?, ?>> uploads, double origin) {
        List<double[]> edges = new ArrayList<>();
        for (Map<?, ?> u : uploads) {
            double from = num(u.get("startEpochMs"));
            double to = num(u.get("endEpochMs"));
            if (to > from) {
                double rate = num(u.get("bytes")) / 1e6 / ((to - from) / 1000);
                edges.add(new double[]{from, rate});
                edges.add(new double[]{to, -rate});
            }
        }
        edges.sort((a, b) -> Double.compare(a[0], b[0]));
        List<Point> pts = new ArrayList<>();
        double level = 0;
        for (double[] e : edges) {
            level = Math.max(0, level + e[1]);
            pts.add(new Point((e[0] - origin) / 1000, Math.round(level * 10) / 10.0));
        }
        return pts;
    }

    private static Series phaseSteps(String name, Map<?, ?> r, double origin, Function<Map<?, ?>, Object> value) {
        List<Point> pts = new ArrayList<>();
        for (Map<?, ?> ph : maps(path(r, "simulator", "phases"))) {
            if (value.apply(ph) instanceof Double v && num(ph.get("durationMs")) > 0) {
                double from = (num(ph.get("startEpochMs")) - origin) / 1000;
                pts.add(new Point(from, v));
                pts.add(new Point(from + num(ph.get("durationMs")) / 1000, v));
            }
        }
        return new Series(name, pts, true);
    }

    private static List<Panel> agentPanels(Map<?, ?> r, List<Map<?, ?>> samples) {
        List<Point> cpu = new ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            double dt = num(samples.get(i).get("t")) - num(samples.get(i - 1).get("t"));
            double used = num(samples.get(i).get("cpuSeconds")) - num(samples.get(i - 1).get("cpuSeconds"));
            if (dt > 0 && used >= 0) {
                cpu.add(new Point(num(samples.get(i).get("t")), used * 100 / dt));
            }
        }
        return new ArrayList<>(List.of(
                new Panel("Agent CPU (percent of one core)", "%", false, List.of(new Series("agent CPU", cpu, false))),
                new Panel("Agent memory", "MB", false, List.of(
                        sampled("agent RSS", samples, 0, "rssMb"),
                        sampled("agent heap used", samples, 0, "heapUsedMb"),
                        sampled("agent old generation", samples, 0, "oldGenMb"),
                        sampled("agent metaspace", samples, 0, "metaspaceMb"))),
                new Panel("Connections to the console", "", false, List.of(
                        sampled("agent connections", samples, 0, "consoleConnections")))));
    }

    /** Samples of console results are in epoch ms, those of the agent footprint in seconds. */
    private static Series sampled(String name, List<Map<?, ?>> samples, double origin, String key) {
        double scale = origin == 0 ? 1 : 1000;
        List<Point> pts = new ArrayList<>();
        for (Map<?, ?> s : samples) {
            if (s.get(key) instanceof Double v) {
                pts.add(new Point((num(s.get("t")) - origin) / scale, v));
            }
        }
        return new Series(name, pts, false);
    }

    private static List<Point> points(List<Map<?, ?>> rows, double origin, String timeKey, Function<Map<?, ?>, Object> value) {
        List<Point> pts = new ArrayList<>();
        for (Map<?, ?> m : rows) {
            if (value.apply(m) instanceof Double v && m.get(timeKey) instanceof Double t) {
                pts.add(new Point((t - origin) / 1000, v));
            }
        }
        return pts;
    }

    private static List<Band> bands(Map<?, ?> r, double origin) {
        List<Band> out = new ArrayList<>();
        Map<?, ?> enroll = map(path(r, "simulator", "enrollment"));
        if (num(enroll.get("enrolled")) > 0 && num(enroll.get("durationMs")) > 0) {
            double from = (num(enroll.get("startEpochMs")) - origin) / 1000;
            out.add(new Band("enrollment", from, from + num(enroll.get("durationMs")) / 1000));
        }
        for (Map<?, ?> ph : maps(path(r, "simulator", "phases"))) {
            double from = (num(ph.get("startEpochMs")) - origin) / 1000;
            out.add(new Band(str(ph.get("name")), from, from + num(ph.get("durationMs")) / 1000));
        }
        return out;
    }

    private static Band window(Map<?, ?> r, double origin) {
        Map<?, ?> w = map(r.get("measuredWindow"));
        if (!(w.get("from") instanceof Double from) || !(w.get("to") instanceof Double to) || to <= from) {
            return null;
        }
        return new Band("measured: " + str(w.get("name")), (from - origin) / 1000, (to - origin) / 1000);
    }

    // ---- drawing --------------------------------------------------------------------------------

    private record Svg(String scenario, String started, String commit, List<Panel> panels, List<Band> bands, Band window) {
        String draw() {
            double tMax = 1;
            for (Panel p : panels) {
                for (Series s : p.series()) {
                    for (Point pt : s.points()) {
                        tMax = Math.max(tMax, pt.t());
                    }
                }
            }
            for (Band b : bands) {
                tMax = Math.max(tMax, b.to());
            }
            tMax = Math.ceil(tMax / nice(tMax / 8)) * nice(tMax / 8);
            int height = TOP + panels.size() * (PANEL_HEIGHT + GAP) + 10;
            StringBuilder o = new StringBuilder();
            String title = "SensorFleet benchmark " + scenario + " (" + started + ", commit " + commit + ")";
            o.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                    + "viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"title desc\" font-family=\"sans-serif\" font-size=\"12\">\n",
                    WIDTH, height, WIDTH, height));
            o.append("<title id=\"title\">").append(esc(title)).append("</title>\n");
            o.append("<desc id=\"desc\">").append(esc(describe())).append("</desc>\n");
            o.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
            o.append(text(LEFT, 24, esc(title), "font-size=\"15\" font-weight=\"bold\""));
            o.append(text(LEFT, 44, "seconds since the run started" + (bands.isEmpty() ? "" : "; shaded bands are the run's phases")
                    + (window == null ? "" : ", the bracket marks the measured window"), "fill=\"#444\""));
            int y = TOP;
            for (Panel p : panels) {
                panel(o, p, y, tMax);
                y += PANEL_HEIGHT + GAP;
            }
            return o.append("</svg>\n").toString();
        }

        private String describe() {
            StringBuilder d = new StringBuilder("Benchmark " + scenario + ". ");
            if (!bands.isEmpty()) {
                d.append("Phases: ");
                for (Band b : bands) {
                    d.append(String.format(Locale.ROOT, "%s from %.0f s to %.0f s; ", b.name(), b.from(), b.to()));
                }
            }
            for (Panel p : panels) {
                d.append(p.title()).append(": ");
                for (Series s : p.series()) {
                    if (s.points().isEmpty()) {
                        continue;
                    }
                    double min = s.points().stream().mapToDouble(Point::v).min().orElse(0);
                    double max = s.points().stream().mapToDouble(Point::v).max().orElse(0);
                    d.append(String.format(Locale.ROOT, "%s from %s to %s %s; ", s.name(), fmt(min), fmt(max), p.unit()));
                }
                d.append(' ');
            }
            return d.toString().strip();
        }

        private void panel(StringBuilder o, Panel p, int top, double tMax) {
            int plotW = WIDTH - LEFT - RIGHT;
            int bottom = top + PANEL_HEIGHT;
            double vMax = 0;
            double vMin = Double.MAX_VALUE;
            for (Series s : p.series()) {
                for (Point pt : s.points()) {
                    vMax = Math.max(vMax, pt.v());
                    if (pt.v() > 0) {
                        vMin = Math.min(vMin, pt.v());
                    }
                }
            }
            boolean log = p.log() && vMin != Double.MAX_VALUE && vMax / vMin > 20;
            double lo = log ? Math.pow(10, Math.floor(Math.log10(vMin))) : 0;
            double hi = log ? Math.pow(10, Math.ceil(Math.log10(vMax))) : nice(Math.max(vMax, 1e-9));
            Function<Double, Double> ty = v -> log
                    ? bottom - (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) * PANEL_HEIGHT
                    : bottom - v / hi * PANEL_HEIGHT;
            Function<Double, Double> tx = t -> LEFT + t / tMax * plotW;
            o.append("<g>\n");
            o.append(text(LEFT, top - 8, esc(p.title() + (log ? " (log scale)" : "")), "font-weight=\"bold\""));
            int shade = 0;
            for (Band b : bands) {
                double x0 = tx.apply(Math.max(0, b.from()));
                double x1 = tx.apply(b.to());
                o.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n",
                        x0, top, Math.max(0.5, x1 - x0), PANEL_HEIGHT, shade++ % 2 == 0 ? "#f2f2f2" : "#e4e4e4"));
                if (x1 - x0 > 30) {
                    o.append(text(x0 + 3, top + 12, esc(b.name()), "fill=\"#555\" font-size=\"10\""));
                }
            }
            if (window != null) {
                double x0 = tx.apply(window.from());
                double x1 = tx.apply(window.to());
                o.append(String.format(Locale.ROOT, "<path d=\"M%.1f %d v-5 H%.1f v5\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.5\"/>\n",
                        x0, bottom + 18, x1));
            }
            o.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>\n",
                    LEFT, top, plotW, PANEL_HEIGHT));
            for (double v : ticks(lo, hi, log)) {
                double yy = ty.apply(v);
                o.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ccc\" stroke-dasharray=\"1 3\"/>\n",
                        LEFT, LEFT + plotW, yy, yy));
                o.append(text(LEFT - 6, yy + 4, fmt(v) + (p.unit().isEmpty() ? "" : " " + esc(p.unit())), "text-anchor=\"end\" font-size=\"10\""));
            }
            double step = nice(tMax / 8);
            for (double t = 0; t <= tMax * 1.0001; t += step) {
                o.append(text(tx.apply(t), bottom + 14, fmt(t) + " s", "text-anchor=\"middle\" font-size=\"10\""));
            }
            int k = 0;
            for (Series s : p.series()) {
                if (!s.points().isEmpty()) {
                    line(o, s, k, tx, ty);
                    legend(o, s, k, top + 8 + k * 18);
                }
                k++;
            }
            o.append("</g>\n");
        }

        private void line(StringBuilder o, Series s, int k, Function<Double, Double> tx, Function<Double, Double> ty) {
            StringBuilder d = new StringBuilder();
            Point prev = null;
            for (Point pt : s.points()) {
                if (prev == null) {
                    d.append(String.format(Locale.ROOT, "M%.1f %.1f", tx.apply(pt.t()), ty.apply(pt.v())));
                } else if (s.steps()) {
                    d.append(String.format(Locale.ROOT, " H%.1f V%.1f", tx.apply(pt.t()), ty.apply(pt.v())));
                } else {
                    d.append(String.format(Locale.ROOT, " L%.1f %.1f", tx.apply(pt.t()), ty.apply(pt.v())));
                }
                prev = pt;
            }
            o.append(String.format("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"%s><title>%s</title></path>\n",
                    d, COLOURS[k % COLOURS.length], dash(k), esc(s.name())));
            int every = Math.max(1, s.points().size() / 40);
            for (int i = 0; i < s.points().size(); i += every) {
                Point pt = s.points().get(i);
                o.append(marker(k, tx.apply(pt.t()), ty.apply(pt.v())));
            }
        }

        private void legend(StringBuilder o, Series s, int k, int y) {
            int x = WIDTH - RIGHT + 14;
            o.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.8\"%s/>\n",
                    x, x + 30, y, y, COLOURS[k % COLOURS.length], dash(k)));
            o.append(marker(k, x + 15, y));
            o.append(text(x + 36, y + 4, esc(s.name()), "font-size=\"11\""));
        }
    }

    private static String dash(int k) {
        String d = DASHES[k % DASHES.length];
        return d.isEmpty() ? "" : " stroke-dasharray=\"" + d + "\"";
    }

    private static String marker(int k, double x, double y) {
        String c = COLOURS[k % COLOURS.length];
        return switch (MARKERS[k % MARKERS.length]) {
            case "square" -> String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"6\" height=\"6\" fill=\"%s\"/>\n", x - 3, y - 3, c);
            case "triangle" -> String.format(Locale.ROOT, "<path d=\"M%.1f %.1f l3.5 6 h-7 z\" fill=\"%s\"/>\n", x, y - 4, c);
            case "diamond" -> String.format(Locale.ROOT, "<path d=\"M%.1f %.1f l4 4 l-4 4 l-4 -4 z\" fill=\"%s\"/>\n", x, y - 4, c);
            case "cross" -> String.format(Locale.ROOT, "<path d=\"M%.1f %.1f l7 7 m0 -7 l-7 7\" stroke=\"%s\" stroke-width=\"1.5\"/>\n", x - 3.5, y - 3.5, c);
            default -> k >= MARKERS.length
                    ? String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"white\" stroke=\"%s\" stroke-width=\"1.5\"/>\n", x, y, c)
                    : String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n", x, y, c);
        };
    }

    private static List<Double> ticks(double lo, double hi, boolean log) {
        List<Double> t = new ArrayList<>();
        if (log) {
            for (double v = lo; v <= hi * 1.0001; v *= 10) {
                t.add(v);
            }
        } else {
            for (int i = 0; i <= 4; i++) {
                t.add(hi * i / 4);
            }
        }
        return t;
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code v}. */
    static double nice(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return String.valueOf((long) v);
        }
        return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.0f", v)
                : Math.abs(v) >= 1 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String text(double x, double y, String s, String attrs) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" %s>%s</text>\n", x, y, attrs, s);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ---- JSON -----------------------------------------------------------------------------------

    private static Object path(Object o, String... keys) {
        for (String k : keys) {
            if (!(o instanceof Map<?, ?> m)) {
                return null;
            }
            o = m.get(k);
        }
        return o;
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? m : Map.of();
    }

    private static List<Map<?, ?>> maps(Object o) {
        List<Map<?, ?>> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object e : l) {
                if (e instanceof Map<?, ?> m) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    private static double num(Object o) {
        return o instanceof Double d ? d : 0;
    }

    private static String str(Object o) {
        return o == null ? "?" : o.toString();
    }

    /** A small strict JSON reader: objects, arrays, strings, numbers (as Double), true, false, null. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object parse() {
            Object v = value();
            ws();
            if (i != s.length()) {
                throw error("text after the value");
            }
            return v;
        }

        private Object value() {
            ws();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            ws();
            if (peek() == '}') {
                i++;
                return m;
            }
            while (true) {
                ws();
                if (peek() != '"') {
                    throw error("expected a key");
                }
                String k = string();
                ws();
                expect(':');
                m.put(k, value());
                ws();
                if (peek() == ',') {
                    i++;
                } else {
                    expect('}');
                    return m;
                }
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            i++;
            ws();
            if (peek() == ']') {
                i++;
                return l;
            }
            while (true) {
                l.add(value());
                ws();
                if (peek() == ',') {
                    i++;
                } else {
                    expect(']');
                    return l;
                }
            }
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            i++;
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = i < s.length() ? s.charAt(i++) : ' ';
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            if (i + 4 > s.length()) {
                                throw error("bad \\u escape");
                            }
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        case '"', '\\', '/' -> b.append(e);
                        default -> throw error("bad escape");
                    }
                } else {
                    b.append(c);
                }
            }
        }

        private Double number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            try {
                return Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw error("expected a value");
            }
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, i)) {
                throw error("expected " + word);
            }
            i += word.length();
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at character " + i);
        }
    }
}
