package io.sensorfleet.console.support;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The system's Chromium (Debian package), driven by Playwright through its executable path: no
 * browser is ever downloaded. Headless, fresh profile, every background service off; screenshots
 * go to target/web-screenshots and, with -Dsensorfleet.docs.screenshots=true, to the operator guide.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");

    private final Playwright playwright;
    private final BrowserContext context;
    private final Path screenshots;

    private HeadlessChromium(Playwright playwright, BrowserContext context, Path screenshots) {
        this.playwright = playwright;
        this.context = context;
        this.screenshots = screenshots;
    }

    /** The path of the system's Chromium; fails with what to install when there is none. */
    public static Path executable() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("no Chromium found: install it with 'apt-get install -y chromium' (.ci/run does)");
    }

    /** A browser at 1280×800 that accepts the console's self-signed operator certificate. */
    public static HeadlessChromium start() throws IOException {
        Playwright pw = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Path profile = Files.createTempDirectory("chromium-profile-");
        BrowserContext ctx = pw.chromium().launchPersistentContext(profile, new BrowserType.LaunchPersistentContextOptions()
                .setExecutablePath(executable()).setHeadless(false).setArgs(ARGS).setIgnoreHTTPSErrors(true)
                .setViewportSize(1280, 800));
        Path shots = Path.of("target", "web-screenshots");
        Files.createDirectories(shots);
        return new HeadlessChromium(pw, ctx, shots);
    }

    public Page page() {
        return context.pages().isEmpty() ? context.newPage() : context.pages().get(0);
    }

    /** Saves a full-page screenshot as {@code name}.png; copies it into docs/operator-guide/images when asked to. */
    public Path screenshot(Page page, String name) throws IOException {
        Path file = evidence(page, name);
        if (Boolean.getBoolean("sensorfleet.docs.screenshots")) {
            Path docs = ThrowawayPostgres.repoRoot().resolve("docs/operator-guide/images");
            Files.createDirectories(docs);
            Files.copy(file, docs.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /** A screenshot for the test report only (e.g. of a failure), never copied into the docs. */
    public Path evidence(Page page, String name) throws IOException {
        Path file = screenshots.resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    @Override
    public void close() {
        context.close();
        playwright.close();
    }
}
