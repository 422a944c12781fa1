package io.sensorfleet.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark's plot tool (bench/lib/BenchPlot.java, a single-file program run by bench/run.sh)
 * run the way the script runs it, on results committed in bench/results.
 */
class BenchPlotTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path TOOL = REPO.resolve("bench/lib/BenchPlot.java");

    @TempDir
    Path tmp;

    private record Run(int exitCode, String err) {
    }

    private static Run plot(Path result, Path out) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, TOOL.toString(), result.toString(), out.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "BenchPlot finished");
        return new Run(p.exitValue(), err);
    }

    private static Document parse(Path svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(svg.toFile());
    }

    private static List<String> texts(Document d, String tag) {
        NodeList nodes = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    @Test
    void aBackupUploadResultBecomesAWellFormedSvgThatNamesEverySeriesInWords() throws Exception {
        Path svg = tmp.resolve("backup.svg");
        Run run = plot(REPO.resolve("bench/results/backup-upload-20x500mb-20261121T132455Z.json"), svg);

        assertEquals(0, run.exitCode(), run.err());
        Document d = parse(svg);
        Element root = d.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        List<String> titles = texts(d, "title");
        assertTrue(titles.getFirst().contains("backup-upload-20x500mb"), titles.getFirst());
        String desc = texts(d, "desc").getFirst();
        List<String> labels = texts(d, "text");
        for (String series : List.of("heartbeat p50 (per phase)", "heartbeat p99 (per phase)", "console CPU",
                "console RSS", "console live heap after GC", "database transactions/s", "uploads MB/s (all together)")) {
            assertTrue(labels.contains(series), "legend names " + series);
            assertTrue(titles.contains(series), "the line of " + series + " has a title");
            assertTrue(desc.contains(series), "the description names " + series);
        }
        assertTrue(labels.contains("uploads"), "phases are labelled");
    }

    @Test
    void linesDifferInDashAndMarkerNotOnlyInColour() throws Exception {
        Path svg = tmp.resolve("heartbeat.svg");
        assertEquals(0, plot(REPO.resolve("bench/results/heartbeat-10k-20261121T134522Z.json"), svg).exitCode());

        NodeList paths = parse(svg).getElementsByTagNameNS("http://www.w3.org/2000/svg", "path");
        List<String> dashes = new ArrayList<>();
        for (int i = 0; i < paths.getLength(); i++) {
            Element p = (Element) paths.item(i);
            if (p.getElementsByTagNameNS("http://www.w3.org/2000/svg", "title").getLength() == 1) {
                dashes.add(p.getAttribute("stroke-dasharray"));
            }
        }
        assertTrue(dashes.size() >= 3, "series lines drawn: " + dashes);
        assertNotEquals(dashes.get(0), dashes.get(1));
        assertNotEquals(dashes.get(1), dashes.get(2));
    }

    @Test
    void anAgentFootprintResultIsDrawnFromItsOwnSamples() throws Exception {
        Path svg = tmp.resolve("agent.svg");
        Run run = plot(REPO.resolve("bench/results/agent-footprint-20261204T223857Z.json"), svg);

        assertEquals(0, run.exitCode(), run.err());
        List<String> labels = texts(parse(svg), "text");
        assertTrue(labels.contains("agent RSS"), String.valueOf(labels));
        assertTrue(labels.contains("agent CPU"), String.valueOf(labels));
    }

    @Test
    void aFileThatIsNotAResultIsRefusedInOneLineAndNothingIsWritten() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"scenario\": \"x\", \"samples\": [1, 2");
        Path svg = tmp.resolve("bad.svg");

        Run run = plot(bad, svg);

        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("BenchPlot: ") && run.err().strip().lines().count() == 1, run.err());
        assertFalse(Files.exists(svg));
    }
}
