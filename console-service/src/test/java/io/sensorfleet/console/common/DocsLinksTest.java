package io.sensorfleet.console.common;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every relative link in the documentation leads to a file that exists: docs/benchmarks.md cites
 * hundreds of result files and plots, and a figure whose result file is missing is a claim nobody
 * can check.
 */
class DocsLinksTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyRelativeLinkInTheDocsResolves() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("bench/README.md"),
                ROOT.resolve("deploy/kubernetes/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            for (String target : relativeLinks(Files.readString(page))) {
                checked++;
                if (!Files.exists(page.getParent().resolve(target))) {
                    broken.add(ROOT.relativize(page) + " -> " + target);
                }
            }
        }
        assertTrue(checked > 100, "links found: " + checked);
        assertEquals(List.of(), broken);
    }

    @Test
    void linksAreReadWithoutTheirAnchorAndWebLinksAreLeftAlone() {
        assertEquals(List.of("../bench/results/a.txt", "configuration.md"),
                relativeLinks("see [a](../bench/results/a.txt), [b](https://example.org/x), [c](configuration.md#tls), [d](#top)"));
    }

    static List<String> relativeLinks(String markdown) {
        List<String> links = new ArrayList<>();
        Matcher m = LINK.matcher(markdown);
        while (m.find()) {
            String target = m.group(1);
            int hash = target.indexOf('#');
            target = hash >= 0 ? target.substring(0, hash) : target;
            if (!target.isEmpty() && !target.matches("^[a-z]+:.*")) {
                links.add(target);
            }
        }
        return links;
    }
}
