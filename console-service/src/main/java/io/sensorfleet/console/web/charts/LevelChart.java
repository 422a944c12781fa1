package io.sensorfleet.console.web.charts;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A state over time, one column per bucket: the higher the column, the worse the state, and each
 * level has its own texture and a name on the axis (OK, DEGRADED, FAILED), so colour is not needed.
 */
public final class LevelChart {
    static final int HEIGHT = 150;
    /** Room for the level names on the axis. */
    static final int LEFT = 80;

    private LevelChart() {
    }

    /**
     * @param levels the names of the levels, best first
     * @param values each bucket's level (an index into {@code levels}), aligned with {@code times}
     */
    public static Chart levels(String id, String title, TimeChart.Window window, List<String> levels, List<Instant> times,
                               List<Integer> values) {
        if (values.size() != times.size()) {
            throw new IllegalArgumentException(values.size() + " values for " + times.size() + " times");
        }
        DateTimeFormatter at = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(window.zone());
        List<String> legend = new ArrayList<>();
        for (int k = 0; k < levels.size(); k++) {
            legend.add(levels.get(k) + " " + (k + 1) + "/" + levels.size() + " high, " + Svg.FILL_NAMES[fill(k)]);
        }
        String desc = "One column per " + TimeChart.words(window.step()) + " over " + window.describe()
                + " with a report; its height is the worst state reported in it: " + String.join("; ", legend) + ".";
        Svg svg = new Svg().open(id, TimeChart.WIDTH, HEIGHT, title, desc).patterns(id);
        double plotW = TimeChart.WIDTH - LEFT - TimeChart.RIGHT;
        double top = 10;
        double plotH = HEIGHT - top - TimeChart.BOTTOM;
        for (int k = 0; k < levels.size(); k++) {
            double y = top + plotH - plotH * (k + 1) / levels.size();
            svg.line(LEFT, y, LEFT + plotW, y, "#e3e6ea", "");
            svg.text(LEFT - 4, y + 10, "end", levels.get(k));
        }
        double bottom = top + plotH;
        double span = java.time.Duration.between(window.from(), window.to()).toMillis();
        double columnW = Math.max(1, plotW * window.step().toMillis() / span - 1);
        List<List<String>> rows = new ArrayList<>();
        int[] counts = new int[levels.size()];
        for (int i = 0; i < times.size(); i++) {
            int level = Math.max(0, Math.min(levels.size() - 1, values.get(i)));
            counts[level]++;
            double x = TimeChart.x(times.get(i), window, LEFT, plotW);
            double h = plotH * (level + 1) / levels.size();
            svg.rect(x, bottom - h, columnW, h, Svg.fill(id, fill(level)), level == 0 ? null : "#1b1f24",
                    at.format(times.get(i)) + ": " + levels.get(level));
            rows.add(List.of(at.format(times.get(i)), levels.get(level)));
        }
        svg.line(LEFT, bottom, LEFT + plotW, bottom, "#8a939d", "");
        if (times.isEmpty()) {
            svg.text(LEFT + plotW / 2, top + plotH / 2, "middle", "No data yet", "#5a6470");
        }
        double lx = TimeChart.WIDTH - TimeChart.RIGHT + 10;
        for (int k = levels.size() - 1; k >= 0; k--) {
            double ly = top + (levels.size() - 1 - k) * 18;
            svg.rect(lx, ly, 14, 12, Svg.fill(id, fill(k)), "#1b1f24", null);
            svg.text(lx + 18, ly + 10, "start", levels.get(k) + " " + counts[k]);
        }
        String summary;
        if (times.isEmpty()) {
            summary = title + ": no reports for " + window.describe() + " yet.";
        } else {
            List<String> parts = new ArrayList<>();
            for (int k = 0; k < levels.size(); k++) {
                parts.add(levels.get(k) + " in " + counts[k]);
            }
            summary = title + " over " + window.describe() + ", periods by worst state: " + String.join(", ", parts)
                    + "; latest (" + at.format(times.get(times.size() - 1)) + "): "
                    + levels.get(Math.max(0, Math.min(levels.size() - 1, values.get(values.size() - 1)))) + ".";
        }
        return new Chart(id, svg.close(), title, summary, List.of("Time (" + window.zone().getId() + ")", "Worst state"),
                rows);
    }

    /** OK light plain, DEGRADED dots, FAILED diagonal hatching. */
    private static int fill(int level) {
        return switch (level) {
            case 0 -> 4;
            case 1 -> 2;
            default -> 1;
        };
    }
}
