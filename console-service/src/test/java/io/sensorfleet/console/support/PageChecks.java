package io.sensorfleet.console.support;

import com.microsoft.playwright.Page;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a browser test asserts on every page it visits, beyond what the flow itself checks:
 * every request the page made answered below 400 (favicon, styles, scripts, fragments), nothing
 * logged as an error in the console (a Content-Security-Policy refusal is one), and axe-core —
 * read from its webjar on the test classpath and evaluated into the page — reports no serious or
 * critical violation. Responses a flow expects to be refused are named with {@link #expectRefusal}.
 */
public final class PageChecks {
    private static final Set<String> BLOCKING = Set.of("serious", "critical");

    private final List<String> failures = new ArrayList<>();
    private final List<String> expectedRefusals = new ArrayList<>();
    private final String axeSource;

    private PageChecks(String axeSource) {
        this.axeSource = axeSource;
    }

    /** Starts listening on {@code page}: failed responses and console errors are kept until {@link #assertClean}. */
    public static PageChecks watch(Page page) throws IOException {
        PageChecks checks = new PageChecks(axeSource());
        page.onResponse(response -> {
            if (response.status() >= 400 && checks.expectedRefusals.stream().noneMatch(response.url()::contains)) {
                checks.failures.add(response.status() + " " + response.request().method() + " " + response.url());
            }
        });
        page.onConsoleMessage(message -> {
            // The browser also logs a refused document load as a console error: expected ones are not failures.
            boolean refusedOnPurpose = message.text().startsWith("Failed to load resource")
                    && checks.expectedRefusals.stream().anyMatch(page.url()::contains);
            if ("error".equals(message.type()) && !refusedOnPurpose) {
                checks.failures.add("console error on " + page.url() + ": " + message.text());
            }
        });
        page.onPageError(error -> checks.failures.add("script error on " + page.url() + ": " + error));
        return checks;
    }

    /** A response under this path is refused on purpose by the flow (e.g. a rejected form). */
    public void expectRefusal(String pathPart) {
        expectedRefusals.add(pathPart);
    }

    /** Runs axe-core on the page as it is now and fails on any serious or critical violation. */
    @SuppressWarnings("unchecked")
    public void accessible(Page page) {
        if (!Boolean.TRUE.equals(page.evaluate("() => typeof window.axe === 'object'"))) {
            page.evaluate(axeSource);
        }
        List<Map<String, Object>> violations = (List<Map<String, Object>>) page.evaluate(
                "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations"
                        + ".map(v => ({ id: v.id, impact: v.impact, help: v.help,"
                        + " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(' | ') }))");
        List<String> blocking = new ArrayList<>();
        for (Map<String, Object> v : violations) {
            if (BLOCKING.contains(String.valueOf(v.get("impact")))) {
                blocking.add(v.get("impact") + " " + v.get("id") + " (" + v.get("help") + ") at " + v.get("nodes"));
            }
        }
        if (!blocking.isEmpty()) {
            throw new AssertionError("axe-core on " + page.url() + ":\n  " + String.join("\n  ", blocking));
        }
    }

    /** Fails with every failed response and console error seen since the last call, then forgets them. */
    public void assertClean() {
        if (!failures.isEmpty()) {
            String all = String.join("\n  ", failures);
            failures.clear();
            throw new AssertionError("the browser saw:\n  " + all);
        }
    }

    private static String axeSource() throws IOException {
        try (InputStream in = PageChecks.class.getResourceAsStream("/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException("axe-core is not on the test classpath (org.webjars.npm:axe-core, test scope)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
