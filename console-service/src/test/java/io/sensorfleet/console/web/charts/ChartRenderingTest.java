package io.sensorfleet.console.web.charts;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartRenderingTest {
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final TimeChart.Window DAY = new TimeChart.Window(NOW.minus(Duration.ofHours(24)), NOW,
            Duration.ofMinutes(15), ZoneOffset.UTC);

    private static Document parse(Chart chart) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(chart.svg().getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(Document d) {
        NodeList nodes = d.getElementsByTagName("text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    private static String titleOf(Document d) {
        return d.getDocumentElement().getElementsByTagName("title").item(0).getTextContent();
    }

    @Test
    void linesAreWellFormedLabelledDirectlyAndDescribedWithoutColour() throws Exception {
        List<Instant> times = List.of(NOW.minus(Duration.ofMinutes(45)), NOW.minus(Duration.ofMinutes(30)),
                NOW.minus(Duration.ofMinutes(15)));
        Chart chart = TimeChart.lines("c1", "Connectivity, 24h", "", DAY, times, List.of(
                new TimeChart.Series("Synced", List.of(90.0, 95.0, 97.0)),
                new TimeChart.Series("Disconnected", List.of(10.0, 5.0, 3.0))));

        Document d = parse(chart);
        Element svg = d.getDocumentElement();
        assertEquals("img", svg.getAttribute("role"));
        assertEquals("c1-title c1-desc", svg.getAttribute("aria-labelledby"));
        assertEquals("Connectivity, 24h", titleOf(d));
        String desc = svg.getElementsByTagName("desc").item(0).getTextContent();
        assertTrue(desc.contains("Synced (solid line, circle markers)") && desc.contains("Disconnected (dashed line, square markers)"),
                desc);
        List<String> labels = texts(d);
        assertTrue(labels.contains("Synced 97") && labels.contains("Disconnected 3"), "each line named at its end: " + labels);
        assertTrue(labels.contains("00:00") && labels.contains("12:00"), "time axis: " + labels);
        NodeList paths = svg.getElementsByTagName("path");
        assertTrue(paths.getLength() >= 2);
        assertEquals("7 3", ((Element) find(paths, "Disconnected")).getAttribute("stroke-dasharray"));
        assertEquals(List.of("Time (Z)", "Synced", "Disconnected"), chart.columns());
        assertEquals(List.of("2026-12-05 11:45", "97", "3"), chart.rows().get(2));
        assertTrue(chart.summary().contains("latest (2026-12-05 11:45): Synced 97, Disconnected 3"), chart.summary());
    }

    @Test
    void aMissingBucketBreaksTheLine() throws Exception {
        List<Instant> times = List.of(NOW.minus(Duration.ofHours(5)), NOW.minus(Duration.ofHours(1)),
                NOW.minus(Duration.ofMinutes(45)));
        Chart chart = TimeChart.lines("gap", "Round trip", "ms", DAY, times,
                List.of(new TimeChart.Series("Average", List.of(12.0, 14.0, 13.0))));

        String d = ((Element) find(parse(chart).getElementsByTagName("path"), "Average")).getAttribute("d");
        assertEquals(2, d.chars().filter(c -> c == 'M').count(), "two runs: " + d);
        assertTrue(texts(parse(chart)).contains("Average 13 ms"));
    }

    @Test
    void noDataGivesAnEmptyFrameThatSaysSo() throws Exception {
        Chart lines = TimeChart.lines("e", "Health, 24h", "", DAY, List.of(), List.of(new TimeChart.Series("OK", List.of())));
        Chart bars = BarChart.bars("v", "Software versions", "sensors", List.of());
        Chart stacked = BarChart.stacked("r", "Rollout progress", List.of("Succeeded", "Failed"), List.of());
        Chart levels = LevelChart.levels("h", "Health", DAY, List.of("OK", "DEGRADED", "FAILED"), List.of(), List.of());

        for (Chart c : List.of(lines, bars, stacked, levels)) {
            assertTrue(texts(parse(c)).contains("No data yet"), c.id());
            assertTrue(c.empty(), c.id());
            assertTrue(c.summary().contains("no data") || c.summary().contains("none yet") || c.summary().contains("no reports"),
                    c.summary());
        }
    }

    @Test
    void negativeValuesGetAnAxisBelowZero() throws Exception {
        List<Instant> times = List.of(NOW.minus(Duration.ofMinutes(30)), NOW.minus(Duration.ofMinutes(15)));
        Chart chart = TimeChart.lines("o", "Clock offset", "ms", DAY, times,
                List.of(new TimeChart.Series("Lowest", List.of(-1200.0, -800.0))));

        assertTrue(texts(parse(chart)).contains("-1500 ms") || texts(parse(chart)).contains("-2000 ms"), texts(parse(chart)).toString());
    }

    @Test
    void hostileLabelsAreEscaped() throws Exception {
        Chart chart = BarChart.bars("v", "Software versions", "sensors",
                List.of(new BarChart.Bar("<script>&\"x'\u0001", 3), new BarChart.Bar("1.0.0", 7)));

        Document d = parse(chart);
        assertFalse(chart.svg().contains("<script>"));
        assertTrue(texts(d).contains("<script>&\"x'"), texts(d).toString());
        assertEquals(List.of("1.0.0", "7", "70 %"), chart.rows().get(1));
    }

    @Test
    void stackedBarsNameEachPartByTextureAndCount() throws Exception {
        Chart chart = BarChart.stacked("r", "Rollout progress", List.of("Succeeded", "Failed", "Under way"),
                List.of(new BarChart.Stack("2.0.0 · RUNNING", List.of(60L, 5L, 35L))));

        Document d = parse(chart);
        assertEquals(5, d.getElementsByTagName("pattern").getLength(), "every texture defined once");
        String desc = d.getElementsByTagName("desc").item(0).getTextContent();
        assertTrue(desc.contains("Succeeded (solid)") && desc.contains("Failed (diagonal hatching)")
                && desc.contains("Under way (dots)"), desc);
        List<String> labels = texts(d);
        assertTrue(labels.containsAll(List.of("60", "35", "100 total", "Succeeded", "Failed", "Under way")), labels.toString());
        assertEquals(List.of("2.0.0 · RUNNING", "60", "5", "35", "100"), chart.rows().get(0));
        assertThrows(IllegalArgumentException.class, () -> BarChart.stacked("x", "x", List.of("a"),
                List.of(new BarChart.Stack("b", List.of(1L, 2L)))));
    }

    @Test
    void levelsShowTheWorstStateOfEachPeriodByHeight() throws Exception {
        List<Instant> times = List.of(NOW.minus(Duration.ofMinutes(45)), NOW.minus(Duration.ofMinutes(30)));
        Chart chart = LevelChart.levels("h", "Health, 24h", DAY, List.of("OK", "DEGRADED", "FAILED"), times, List.of(0, 2));

        Document d = parse(chart);
        assertTrue(texts(d).containsAll(List.of("OK", "DEGRADED", "FAILED", "OK 1", "FAILED 1", "DEGRADED 0")), texts(d).toString());
        assertEquals(List.of("2026-12-05 11:30", "FAILED"), chart.rows().get(1));
        assertTrue(chart.summary().endsWith("latest (2026-12-05 11:30): FAILED."), chart.summary());
    }

    @Test
    void aWeekIsLabelledByDay() throws Exception {
        TimeChart.Window week = new TimeChart.Window(NOW.minus(Duration.ofDays(7)), NOW, Duration.ofHours(2), ZoneOffset.UTC);
        Chart chart = TimeChart.lines("w", "Connectivity, 7d", "", week, List.of(NOW.minus(Duration.ofHours(2))),
                List.of(new TimeChart.Series("Synced", List.of(4.0))));

        List<String> labels = texts(parse(chart));
        assertTrue(labels.contains("Nov 29") && labels.contains("Dec 5"), labels.toString());
        assertTrue(chart.svg().contains("one value per 2 hours"));
    }

    private static org.w3c.dom.Node find(NodeList paths, String title) {
        for (int i = 0; i < paths.getLength(); i++) {
            Element e = (Element) paths.item(i);
            NodeList t = e.getElementsByTagName("title");
            if (t.getLength() > 0 && title.equals(t.item(0).getTextContent())) {
                return e;
            }
        }
        throw new AssertionError("no path titled " + title);
    }
}
