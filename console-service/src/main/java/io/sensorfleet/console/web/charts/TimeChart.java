package io.sensorfleet.console.web.charts;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Values over time as lines. Each series has its own dash pattern and marker shape besides its colour,
 * and is labelled directly at its last value, so the chart reads in black and white; a missing bucket
 * breaks the line instead of drawing across the gap.
 */
public final class TimeChart {
    static final int WIDTH = 600;
    static final int HEIGHT = 240;
    static final int LEFT = 64;
    static final int RIGHT = 150;
    static final int TOP = 14;
    static final int BOTTOM = 28;
    private static final double LABEL_SPACING = 13;

    /** The period shown: from, to, the width of one bucket, and the zone the axis is labelled in. */
    public record Window(Instant from, Instant to, Duration step, ZoneId zone) {
        public Window {
            if (!to.isAfter(from) || step.isZero() || step.isNegative()) {
                throw new IllegalArgumentException("a window runs forward in positive steps");
            }
        }

        String describe() {
            Duration d = Duration.between(from, to);
            return d.toHours() <= 48 ? "the last " + d.toHours() + " hours" : "the last " + d.toDays() + " days";
        }
    }

    /** One line: a label and a value per time (null where there is none). */
    public record Series(String label, List<Double> values) {
    }

    private TimeChart() {
    }

    /**
     * @param unit added to the axis and the values in words ("ms"), or empty for counts
     */
    public static Chart lines(String id, String title, String unit, Window window, List<Instant> times,
                              List<Series> series) {
        for (Series s : series) {
            if (s.values().size() != times.size()) {
                throw new IllegalArgumentException("series " + s.label() + " has " + s.values().size() + " values for "
                        + times.size() + " times");
            }
        }
        DateTimeFormatter at = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(window.zone());
        String suffix = unit.isEmpty() ? "" : " " + unit;
        List<String> columns = new ArrayList<>();
        columns.add("Time (" + window.zone().getId() + ")");
        series.forEach(s -> columns.add(s.label() + (unit.isEmpty() ? "" : " (" + unit + ")")));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < times.size(); i++) {
            List<String> row = new ArrayList<>();
            row.add(at.format(times.get(i)));
            for (Series s : series) {
                Double v = s.values().get(i);
                row.add(v == null ? "" : Scale.format(v));
            }
            rows.add(row);
        }
        String desc = "Lines over " + window.describe() + ", one value per " + words(window.step()) + ": "
                + String.join("; ", series.stream().map(s -> s.label() + " " + look(series.indexOf(s))).toList()) + ".";
        String summary;
        if (times.isEmpty()) {
            summary = title + ": no data for " + window.describe() + " yet.";
        } else {
            int last = times.size() - 1;
            summary = title + ", latest (" + at.format(times.get(last)) + "): " + String.join(", ", series.stream()
                    .map(s -> s.label() + " " + (s.values().get(last) == null ? "none" : Scale.format(s.values().get(last))
                            + suffix)).toList()) + ".";
        }

        Svg svg = new Svg().open(id, WIDTH, HEIGHT, title, desc);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double min = 0;
        double max = 0;
        for (Series s : series) {
            for (Double v : s.values()) {
                if (v != null) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        Scale scale = Scale.of(min, max);
        for (double v = scale.lo(); v <= scale.hi() + scale.step() / 2; v += scale.step()) {
            double y = scale.y(v, TOP, plotH);
            svg.line(LEFT, y, LEFT + plotW, y, v == 0 ? "#8a939d" : "#e3e6ea", "");
            svg.text(LEFT - 4, y + 4, "end", Scale.format(v) + suffix);
        }
        timeAxis(svg, window, plotW, plotH);
        if (times.isEmpty()) {
            svg.text(LEFT + plotW / 2, TOP + plotH / 2, "middle", "No data yet", "#5a6470");
            return new Chart(id, svg.close(), title, summary, columns, rows);
        }
        List<double[]> labels = new ArrayList<>();
        for (int k = 0; k < series.size(); k++) {
            double[] lastPoint = drawSeries(svg, k, series.get(k), times, window, scale, plotW, plotH);
            if (lastPoint != null) {
                labels.add(new double[]{lastPoint[1], k, lastPoint[2]});
            }
        }
        directLabels(svg, series, labels, suffix);
        return new Chart(id, svg.close(), title, summary, columns, rows);
    }

    /** Draws one series; returns its last point (x, y, value) or null when it has none. */
    private static double[] drawSeries(Svg svg, int k, Series s, List<Instant> times, Window window, Scale scale,
                                       double plotW, double plotH) {
        String colour = Svg.COLOURS[k % Svg.COLOURS.length];
        StringBuilder d = new StringBuilder();
        List<double[]> points = new ArrayList<>();
        Instant previous = null;
        for (int i = 0; i < times.size(); i++) {
            Double v = s.values().get(i);
            if (v == null) {
                previous = null;
                continue;
            }
            double x = x(times.get(i), window, LEFT, plotW);
            double y = scale.y(v, TOP, plotH);
            boolean gap = previous == null
                    || Duration.between(previous, times.get(i)).compareTo(window.step().multipliedBy(3).dividedBy(2)) > 0;
            d.append(gap ? 'M' : 'L').append(Svg.n(x)).append(' ').append(Svg.n(y));
            points.add(new double[]{x, y, v});
            previous = times.get(i);
        }
        if (points.isEmpty()) {
            return null;
        }
        String dash = Svg.DASHES[k % Svg.DASHES.length];
        svg.raw("<path d=\"" + d + "\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\""
                + (dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"") + "><title>" + Svg.escape(s.label())
                + "</title></path>");
        int every = Math.max(1, points.size() / 8);
        for (int i = 0; i < points.size(); i++) {
            if (i % every == 0 || i == points.size() - 1) {
                svg.marker(k, points.get(i)[0], points.get(i)[1], colour);
            }
        }
        return points.get(points.size() - 1);
    }

    /** Each series' name and latest value right of the plot, level with its last point, pushed apart so none overlap. */
    private static void directLabels(Svg svg, List<Series> series, List<double[]> labels, String suffix) {
        labels.sort(Comparator.comparingDouble(l -> l[0]));
        double floor = TOP + 4;
        for (double[] l : labels) {
            l[0] = Math.max(l[0], floor);
            floor = l[0] + LABEL_SPACING;
        }
        double overflow = labels.isEmpty() ? 0 : labels.get(labels.size() - 1)[0] - (HEIGHT - 10);
        for (double[] l : labels) {
            double y = l[0] - Math.max(0, overflow);
            int k = (int) l[1];
            String colour = Svg.COLOURS[k % Svg.COLOURS.length];
            double x = WIDTH - RIGHT + 10;
            svg.marker(k, x, y, colour);
            svg.text(x + 8, y + 4, "start", series.get(k).label() + " " + Scale.format(l[2]) + suffix);
        }
    }

    private static void timeAxis(Svg svg, Window window, double plotW, double plotH) {
        Duration range = Duration.between(window.from(), window.to());
        boolean hours = range.toHours() <= 48;
        DateTimeFormatter label = DateTimeFormatter.ofPattern(hours ? "HH:mm" : "MMM d").withZone(window.zone());
        ZonedDateTime t = window.from().atZone(window.zone()).truncatedTo(hours ? ChronoUnit.HOURS : ChronoUnit.DAYS);
        while (t.toInstant().isBefore(window.from()) || (hours && t.getHour() % 6 != 0)) {
            t = t.plusHours(hours ? 1 : 24);
            if (!hours) {
                t = t.truncatedTo(ChronoUnit.DAYS);
            }
        }
        double bottom = TOP + plotH;
        svg.line(LEFT, bottom, LEFT + plotW, bottom, "#8a939d", "");
        for (; !t.toInstant().isAfter(window.to()); t = hours ? t.plusHours(6) : t.plusDays(1)) {
            double x = x(t.toInstant(), window, LEFT, plotW);
            svg.line(x, bottom, x, bottom + 4, "#8a939d", "");
            svg.text(x, bottom + 16, "middle", label.format(t.toInstant()));
        }
    }

    static double x(Instant t, Window window, double left, double plotW) {
        double span = Duration.between(window.from(), window.to()).toMillis();
        return left + Duration.between(window.from(), t).toMillis() / span * plotW;
    }

    static String words(Duration step) {
        return step.toMinutes() < 60 ? step.toMinutes() + " minutes" : step.toHours() == 1 ? "hour" : step.toHours() + " hours";
    }

    /** How a series looks, in words, for the chart's description. */
    static String look(int k) {
        String dash = switch (k % Svg.DASHES.length) {
            case 0 -> "solid line";
            case 1 -> "dashed line";
            case 2 -> "dotted line";
            case 3 -> "dash-dot line";
            case 4 -> "evenly dashed line";
            default -> "finely dotted line";
        };
        return "(" + dash + ", " + Svg.MARKERS[k % Svg.MARKERS.length] + " markers)";
    }
}
