package io.sensorfleet.console.web.charts;

import java.util.ArrayList;
import java.util.List;

/**
 * Horizontal bars, each labelled with its name and value: plain bars (sensors per version) and
 * stacked bars whose parts have their own texture (a rollout's sensors by outcome), with a legend and
 * each part's count written in it where it fits.
 */
public final class BarChart {
    static final int WIDTH = 600;
    static final int LEFT = 140;
    static final int RIGHT = 70;
    static final int TOP = 8;
    static final int ROW = 26;
    static final int BAR = 16;
    static final int MAX_LABEL = 22;

    /** One bar. */
    public record Bar(String label, long value) {
    }

    /** One stacked bar: a value per part, in the order of the parts' names. */
    public record Stack(String label, List<Long> values) {
        long total() {
            return values.stream().mapToLong(Long::longValue).sum();
        }
    }

    private BarChart() {
    }

    public static Chart bars(String id, String title, String valueName, List<Bar> bars) {
        long max = bars.stream().mapToLong(Bar::value).max().orElse(0);
        long total = bars.stream().mapToLong(Bar::value).sum();
        String desc = "Horizontal bars, one per " + title.toLowerCase() + " entry, each labelled with its name and "
                + valueName + ".";
        int height = TOP + Math.max(1, bars.size()) * ROW + 8;
        Svg svg = new Svg().open(id, WIDTH, height, title, desc);
        double plotW = WIDTH - LEFT - RIGHT;
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double y = TOP + i * ROW;
            double w = max == 0 ? 0 : plotW * b.value() / max;
            svg.text(LEFT - 6, y + BAR - 3, "end", shorten(b.label()));
            svg.rect(LEFT, y, Math.max(w, 1), BAR, "#0b5cad", null, b.label() + ": " + b.value());
            svg.text(LEFT + w + 4, y + BAR - 3, "start", Long.toString(b.value()));
            rows.add(List.of(b.label(), Long.toString(b.value()), percent(b.value(), total)));
        }
        if (bars.isEmpty()) {
            svg.text(WIDTH / 2.0, TOP + 16, "middle", "No data yet", "#5a6470");
        }
        String summary = bars.isEmpty() ? title + ": none yet."
                : title + ": " + String.join(", ", bars.stream().limit(5).map(b -> b.label() + " " + b.value()).toList())
                + (bars.size() > 5 ? " and " + (bars.size() - 5) + " more" : "") + ".";
        return new Chart(id, svg.close(), title, summary, List.of("Name", capitalised(valueName), "Share"), rows);
    }

    public static Chart stacked(String id, String title, List<String> parts, List<Stack> stacks) {
        for (Stack s : stacks) {
            if (s.values().size() != parts.size()) {
                throw new IllegalArgumentException(s.label() + " has " + s.values().size() + " values for "
                        + parts.size() + " parts");
            }
        }
        List<String> legend = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            legend.add(parts.get(k) + " (" + Svg.FILL_NAMES[k % Svg.FILL_NAMES.length] + ")");
        }
        String desc = "One bar per row, split into " + String.join(", ", legend)
                + "; each part is labelled with its count where it fits, and the total is written after the bar.";
        int height = TOP + Math.max(1, stacks.size()) * ROW + 30;
        Svg svg = new Svg().open(id, WIDTH, height, title, desc).patterns(id);
        double plotW = WIDTH - LEFT - RIGHT;
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < stacks.size(); i++) {
            Stack s = stacks.get(i);
            double y = TOP + i * ROW;
            long total = s.total();
            svg.text(LEFT - 6, y + BAR - 3, "end", shorten(s.label()));
            svg.rect(LEFT, y, plotW, BAR, "none", "#d5dae0", null);
            double x = LEFT;
            List<String> row = new ArrayList<>();
            row.add(s.label());
            for (int k = 0; k < parts.size(); k++) {
                long v = s.values().get(k);
                row.add(Long.toString(v));
                if (v == 0 || total == 0) {
                    continue;
                }
                double w = plotW * v / total;
                svg.rect(x, y, w, BAR, Svg.fill(id, k), "#1b1f24", s.label() + ": " + parts.get(k) + " " + v);
                if (w >= 8 * (Long.toString(v).length() + 1)) {
                    // White on the solid fill, dark on the light textures; a box behind keeps it legible on hatching.
                    svg.rect(x + w / 2 - 4 * Long.toString(v).length() - 2, y + 2, 8 * Long.toString(v).length() + 4, BAR - 4,
                            "#fff", null, null);
                    svg.text(x + w / 2, y + BAR - 4, "middle", Long.toString(v));
                }
                x += w;
            }
            svg.text(LEFT + plotW + 4, y + BAR - 3, "start", total + " total");
            row.add(Long.toString(total));
            rows.add(row);
        }
        if (stacks.isEmpty()) {
            svg.text(WIDTH / 2.0, TOP + 16, "middle", "No data yet", "#5a6470");
        }
        double ly = TOP + Math.max(1, stacks.size()) * ROW + 8;
        double lx = LEFT;
        for (int k = 0; k < parts.size(); k++) {
            svg.rect(lx, ly, 14, 12, Svg.fill(id, k), "#1b1f24", null);
            svg.text(lx + 18, ly + 10, "start", parts.get(k));
            lx += 30 + 7 * parts.get(k).length();
        }
        List<String> columns = new ArrayList<>();
        columns.add("Name");
        columns.addAll(parts);
        columns.add("Total");
        String summary = stacks.isEmpty() ? title + ": none yet." : title + ": " + String.join("; ", stacks.stream().limit(5)
                .map(s -> s.label() + " — " + String.join(", ", parts.stream()
                        .map(p -> p + " " + s.values().get(parts.indexOf(p))).toList())).toList())
                + (stacks.size() > 5 ? "; and " + (stacks.size() - 5) + " more" : "") + ".";
        return new Chart(id, svg.close(), title, summary, columns, rows);
    }

    static String shorten(String label) {
        String l = label == null ? "(none)" : label;
        return l.length() <= MAX_LABEL ? l : l.substring(0, MAX_LABEL - 1) + "…";
    }

    private static String percent(long v, long total) {
        return total == 0 ? "" : Math.round(100.0 * v / total) + " %";
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
