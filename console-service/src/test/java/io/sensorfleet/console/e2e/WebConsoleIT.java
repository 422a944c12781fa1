package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.sensorfleet.console.support.Cli;
import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.HeadlessChromium;
import io.sensorfleet.console.support.PageChecks;
import io.sensorfleet.console.support.OpensslPki;
import io.sensorfleet.console.support.ThrowawayPostgres;
import io.sensorfleet.console.support.UpdatePackages;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's path through the web console in a real browser, against the packaged console
 * over HTTPS and a real agent started with its launcher: log in, create a connection string,
 * connect the agent, see it, assign it to a zone through the tree, change its time zone and see
 * it SYNCED with its charts, back it up, see the fleet's charts, log out. A screenshot per step lands in target/web-screenshots.
 */
class WebConsoleIT {
    private static final Logger LOG = Logger.getLogger(WebConsoleIT.class);
    private static final LocatorAssertions.HasTextOptions LONG = new LocatorAssertions.HasTextOptions().setTimeout(60_000);
    private static final LocatorAssertions.ContainsTextOptions LONG_CONTAINS =
            new LocatorAssertions.ContainsTextOptions().setTimeout(60_000);

    static Path storage;
    static ConsoleCluster cluster;
    static ConsoleProcess console;
    static HeadlessChromium chromium;
    static PageChecks checks;
    /** Failed requests, console errors and accessibility violations of every page, reported together at the end. */
    static final List<String> problems = new java.util.ArrayList<>();
    static Process agent;
    static Path agentDir;
    static Path packages;
    private static final String OLDER_RELEASE = "1.0.0";
    private static final String NEXT_RELEASE = "1.0.1";

    @BeforeAll
    static void start() throws Exception {
        storage = BackupFixture.storageDir();
        packages = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "sf_web_it_packages_" + System.nanoTime()));
        java.util.Map<String, String> env = new java.util.HashMap<>(BackupFixture.consoleEnv(storage));
        env.put("SENSORFLEET_UPDATES_STORAGE_DIR", packages.toString());
        env.put("SENSORFLEET_UPDATES_TRUSTED_KEYS", UpdatePackages.devTestPublicKey().toString());
        env.put("SENSORFLEET_UPDATES_DRIVER_INTERVAL", "1s");
        env.put("SENSORFLEET_UPDATES_SOAK_SECONDS", "0");
        cluster = ConsoleCluster.start(1, env, List.of("-Xmx512m"));
        console = cluster.console(0);
        chromium = HeadlessChromium.start();
        agentDir = Files.createTempDirectory("web-it-agent-").resolve("state");
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.destroy();
        }
        if (chromium != null) {
            chromium.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        BackupFixture.deleteTree(storage);
        if (packages != null) {
            BackupFixture.deleteTree(packages);
        }
        if (agentDir != null) {
            BackupFixture.deleteTree(agentDir.getParent());
        }
    }

    @Test
    void operatorConnectsAssignsConfiguresAndBacksUpASensorInTheBrowser() throws Exception {
        Page page = chromium.page();
        checks = PageChecks.watch(page);
        try {
            walkThrough(page, console.operatorBaseUri());
            assertTrue(problems.isEmpty(), String.join("\n", problems));
        } catch (AssertionError | RuntimeException e) {
            chromium.evidence(page, "failure");
            LOG.errorf("failed at %s; the page was:%n%s", page.url(), page.content());
            throw e;
        }
    }

    private static void walkThrough(Page page, String base) throws Exception {

        page.navigate(base + "/");
        assertThat(page).hasURL(base + "/ui/login");
        shot(page, "01-login");
        page.getByLabel("User name").fill("admin");
        page.getByLabel("Password").fill(ConsoleProcess.ADMIN_PASSWORD);
        button(page, "Log in").click();
        assertThat(page.locator("h1")).hasText("Dashboard");
        shot(page, "02-dashboard");

        createOrganisation(page, base);

        page.navigate(base + "/ui/connection-strings");
        page.getByLabel("Description").fill("plant 1, line 3");
        page.locator("#create-connection-string").click();
        String connectionString = page.locator("#connection-string").textContent().strip();
        assertTrue(connectionString.length() > 40, connectionString);
        shot(page, "04-connection-string");

        String sensorId = connectAgent(connectionString);
        page.navigate(base + "/ui/sensors");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            page.reload();
            return page.locator("a[href='/ui/sensors/" + sensorId + "']").count() == 1;
        });
        assertThat(page.locator("#results tbody tr").first()).containsText("SYNCED", LONG_CONTAINS);
        assertEquals("object", page.evaluate("typeof htmx"), "htmx is served by the console");
        page.getByLabel("Name contains").fill("no-such-sensor");
        assertThat(page.locator("#count")).hasText("0 sensors match.");
        page.getByLabel("Name contains").fill("");
        assertThat(page.locator("#count")).hasText("1 sensor match.");
        shot(page, "05-sensors");

        page.navigate(base + "/ui/zones");
        page.locator("input[name=sensorId][value='" + sensorId + "']").check();
        page.getByLabel("Assign to zone").selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("Line 3"));
        page.locator("#assign").click();
        assertThat(page.locator(".flash")).hasText("1 sensor assigned");
        assertThat(page.locator(".tree")).containsText("Line 3 (1 sensors)");
        shot(page, "06-zones-assigned");

        page.navigate(base + "/ui/sensors/" + sensorId);
        page.getByText("Change this sensor's settings").click();
        page.locator("#s-time-timeZone").fill("Europe/Berlin");
        shot(page, "07-settings");
        page.locator("#save-settings").click();
        assertThat(page.locator(".flash")).containsText("Saved as revision");
        page.navigate(base + "/ui/sensors/" + sensorId);
        assertThat(page.locator("#connectivity")).hasText("SYNCED", LONG);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode s = JSON.readTree(console.call("GET", "/api/v1/sensors/" + sensorId, null).body());
            return s.get("appliedSettingsRevision").asLong() == s.get("desiredSettingsRevision").asLong()
                    && "SYNCED".equals(s.get("connectivity").asText());
        });
        page.reload();
        assertThat(page.locator("#connectivity")).hasText("SYNCED", LONG);
        assertThat(page.locator("#live")).containsText("Europe/Berlin");
        shot(page, "08-sensor-synced");
        sensorCharts(page);

        page.locator("#backup-now").click();
        assertThat(page.locator(".flash")).containsText("Backup started");
        assertThat(page.locator("#backup-list")).containsText(".tar", LONG_CONTAINS);
        assertThat(page.locator("#backup-list")).containsText("STORED", LONG_CONTAINS);
        shot(page, "09-sensor-backup");
        findLabelAndExport(page, base, sensorId);

        page.navigate(base + "/ui/backups");
        assertThat(page.locator("#collections")).containsText("finished", LONG_CONTAINS);
        shot(page, "10-backups");
        page.navigate(base + "/ui");
        shot(page, "11-dashboard-with-sensor");
        dashboardCharts(page);
        page.navigate(base + "/ui/audit");
        assertThat(page.locator("table")).containsText("Assign sensors to a zone");
        shot(page, "12-audit");
        operatorFlows(page, base, sensorId);
        settingsForAFilter(page, base, sensorId);
        updateRollout(page, base, sensorId);
        operatorCertificate(page, base);
        pagesWithoutScreenshots(page, base, sensorId);
        for (String other : List.of("notifications", "maintenance", "forwarding", "users", "system", "settings", "updates")) {
            page.navigate(base + "/ui/" + other);
            assertThat(page.locator("h1")).isVisible();
            shot(page, "14-" + other);
        }
        page.keyboard().press("Tab");
        assertThat(page.locator(".skip")).isFocused();
        page.setViewportSize(390, 844);
        page.navigate(base + "/ui/sensors");
        assertThat(page.locator("#results")).containsText("SYNCED");
        shot(page, "15-sensors-narrow");
        page.setViewportSize(1280, 800);

        page.locator("#logout").click();
        assertThat(page).hasURL(base + "/ui/login");
        page.navigate(base + "/ui/sensors");
        assertThat(page).hasURL(base + "/ui/login");
        shot(page, "13-logged-out");
        checks.expectRefusal("/ui/login");
        page.getByLabel("User name").fill("admin");
        page.getByLabel("Password").fill("not-the-password");
        button(page, "Log in").click();
        assertThat(page.locator(".error[role=alert]")).isVisible();
        checked(page, "login with an error");
    }

    /**
     * The flows beyond the first sensor, each driven through its form: rename a zone, a sensor's
     * backup space and update history, a maintenance window picked by name then extended and
     * closed, a user created, disabled and given a new password, an API token shown once.
     */
    private static void operatorFlows(Page page, String base, String sensorId) throws Exception {
        page.navigate(base + "/ui/zones");
        page.getByLabel("Zone to rename").selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("Line 3"));
        page.getByLabel("New name for the zone").fill("Line 3 north");
        button(page, "Rename zone").click();
        assertThat(page.locator(".flash")).hasText("Zone renamed to Line 3 north");
        assertThat(page.locator(".tree")).containsText("Line 3 north (1 sensors)");
        shot(page, "16-zones-renamed");

        page.navigate(base + "/ui/sensors/" + sensorId);
        assertThat(page.locator("#sensor-updates")).containsText("No update was rolled out to this sensor.");
        page.getByLabel("Space in MiB (empty: the default)").fill("512");
        page.locator("#set-allocation").click();
        assertThat(page.locator(".flash")).hasText("Backup space set to 512 MiB");
        assertThat(page.locator("#h-allocation + p")).containsText("512.0 MiB");
        shot(page, "17-sensor-backup-space");

        String sensorName = JSON.readTree(console.call("GET", "/api/v1/sensors/" + sensorId, null).body()).get("name").asText();
        page.navigate(base + "/ui/maintenance");
        page.getByLabel("Ticket id").fill("CHG-1001");
        page.getByLabel("Find sensors by name").fill("no-such-sensor");
        assertThat(page.locator("#mw-picks")).containsText("No sensor has a name containing");
        page.getByLabel("Find sensors by name").fill(sensorName);
        page.getByLabel(sensorName, new Page.GetByLabelOptions().setExact(true)).check();
        shot(page, "18-maintenance-picker");
        button(page, "Open window").click();
        assertThat(page.locator(".flash")).hasText("Maintenance window CHG-1001 open for 60 minutes");
        page.getByLabel("Minutes from now for CHG-1001").fill("120");
        button(page, "Set end").click();
        assertThat(page.locator(".flash")).hasText("Maintenance window CHG-1001 now ends in 120 minutes");
        JsonNode window = JSON.readTree(console.call("GET", "/api/v1/maintenance-windows?ticketId=CHG-1001", null).body());
        assertEquals(sensorId, window.get("items").get(0).get("sensorIds").get(0).asText());
        button(page, "Close").click();
        assertThat(page.locator(".flash")).hasText("Maintenance window CHG-1001 closed");
        shot(page, "19-maintenance-closed");

        page.navigate(base + "/ui/users");
        page.getByLabel("User name").fill("night-shift");
        page.getByLabel("Password (12+ characters)").fill("a-long-enough-password");
        page.locator("#new-role").selectOption("READ_ONLY");
        button(page, "Create user").click();
        assertThat(page.locator(".flash")).hasText("User night-shift created");
        page.getByLabel("State of night-shift").selectOption("false");
        page.locator("tr", new Page.LocatorOptions().setHasText("night-shift")).getByText("Apply").click();
        assertThat(page.locator(".flash")).hasText("User night-shift: READ_ONLY, disabled");
        page.getByLabel("New password for night-shift").fill("another-long-password");
        page.locator("tr", new Page.LocatorOptions().setHasText("night-shift")).getByText("Reset").click();
        assertThat(page.locator(".flash")).hasText("Password reset; the user's sessions and tokens stop working");
        page.getByLabel("Description").fill("nightly export");
        page.getByLabel("Expires in (days)").fill("30");
        button(page, "Create API token").click();
        String token = page.locator("#api-token").textContent().strip();
        assertTrue(token.length() > 20, token);
        shot(page, "20-users-token");
        assertEquals(200, console.callWithToken("GET", "/api/v1/sensors", token).statusCode());
        page.navigate(base + "/ui/users");
        assertThat(page.locator("body")).not().containsText(token);

        try (io.sensorfleet.console.support.WebhookReceiver siem = io.sensorfleet.console.support.WebhookReceiver.start()) {
            page.navigate(base + "/ui/forwarding");
            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("SOC webhook");
            page.getByLabel("Minimal severity").selectOption("MAJOR");
            page.getByLabel("Action", new Page.GetByLabelOptions().setExact(true)).selectOption("WEBHOOK");
            page.getByLabel("Webhook URL").fill(siem.url());
            button(page, "Create rule").click();
            assertThat(page.locator(".flash")).hasText("Forwarding rule SOC webhook created");
            assertThat(page.locator("table")).containsText("MAJOR and above");
            button(page, "Send test message").click();
            assertThat(page.locator(".flash")).containsText("Test message delivered");
            assertEquals(1, siem.received().size());
            shot(page, "21-forwarding-rule-tested");
            editForwardingRule(page, sensorName, siem);
        }
    }

    /**
     * The rule just tested gets a second action (syslog over TLS to a closed local port, verified
     * with a pasted CA), an Authorization header on its webhook, the test's sensor picked by name
     * and a label filter that sensor does not have, so nothing is routed to it. A CA that is no
     * certificate is refused next to its field first; the reopened form shows everything but the
     * header's value, which the next test message still carries.
     */
    private static void editForwardingRule(Page page, String sensorName,
                                           io.sensorfleet.console.support.WebhookReceiver siem) throws Exception {
        String secret = "Bearer web-it-" + java.util.UUID.randomUUID();
        OpensslPki pki = OpensslPki.create("web-it-fwd-ca-");
        try {
            page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                    new Page.GetByRoleOptions().setName("Edit rule SOC webhook")).click();
            assertThat(page.locator("h1")).hasText("Edit forwarding rule SOC webhook");
            String editPath = java.net.URI.create(page.url()).getPath();
            page.getByLabel("Sensor labels (key=value or key, comma-separated)").fill("env=prod");
            page.getByLabel("Find sensors by name").fill("no-such-sensor");
            assertThat(page.locator("#fr-picks")).containsText("No sensor has a name containing");
            page.getByLabel("Find sensors by name").fill(sensorName);
            page.getByLabel(sensorName, new Page.GetByLabelOptions().setExact(true)).check();
            page.getByLabel("Action 1 new header name").fill("Authorization");
            page.getByLabel("Action 1 new header value").fill(secret);
            page.getByLabel("New action type").selectOption("SYSLOG");
            page.getByLabel("New action syslog host").fill("127.0.0.1");
            page.getByLabel("New action port").fill("9");
            page.getByLabel("New action transport").selectOption("TLS");
            page.getByLabel("New action format").selectOption("LEEF");
            page.getByLabel("New action CA certificate (PEM, for an https webhook or syslog over TLS)")
                    .fill("-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
            checks.expectRefusal(editPath);
            button(page, "Save rule").click();
            assertThat(page.locator("#ed-ca-new-error")).containsText("actions[1].caCertificatePem: ");
            assertThat(page.locator("#ed-problems")).containsText("The rule was not saved");
            assertThat(page.locator("body")).not().containsText(secret);
            checked(page, "forwarding rule form refused");
            page.getByLabel("Action 1 header 1 value").fill(secret);
            page.getByLabel("New action CA certificate (PEM, for an https webhook or syslog over TLS)")
                    .fill(pki.read("ca.crt"));
            shot(page, "24-forwarding-rule-edit-form");
            button(page, "Save rule").click();
            assertThat(page.locator(".flash")).hasText("Forwarding rule SOC webhook saved");
            assertThat(page.locator("table")).containsText("label env=prod");
            assertThat(page.locator("table")).containsText("LEEF TLS 127.0.0.1:9");
            shot(page, "24-forwarding-rule-edited");

            page.navigate(page.url().replaceFirst("/ui/forwarding.*$", editPath));
            assertThat(page.getByLabel(sensorName, new Page.GetByLabelOptions().setExact(true))).isChecked();
            assertThat(page.getByLabel("Action 1 header 1 name")).hasValue("Authorization");
            assertThat(page.getByLabel("Action 1 header 1 value")).hasValue("");
            assertThat(page.locator("#ed-hv-1-1-set")).hasText("A value is set.");
            assertThat(page.getByLabel("Action 2 CA certificate (PEM, for an https webhook or syslog over TLS)"))
                    .hasValue(pki.read("ca.crt").strip() + "\n");
            assertThat(page.getByLabel("Action 2 transport")).hasValue("TLS");
            assertTrue(!page.content().contains(secret), "the header value is never sent to the browser");
            shot(page, "24-forwarding-rule-reopened");

            page.navigate(page.url().replaceFirst("/ui/forwarding.*$", "/ui/forwarding"));
            page.locator("form[action$='/test'] button").first().click();
            assertThat(page.locator(".flash")).containsText("Test message delivered");
            assertEquals(secret, siem.received().getLast().header("Authorization"));
        } finally {
            BackupFixture.deleteTree(pki.dir());
        }
    }

    /** Settings for the sensors a label selects: the count first, then one change, seen on the sensor page. */
    private static void settingsForAFilter(Page page, String base, String sensorId) throws Exception {
        page.navigate(base + "/ui/settings");
        page.getByText("Settings for a filter of sensors").click();
        page.getByLabel("Label (key=value or key)").fill("env=lab");
        button(page, "Show matching sensors").click();
        assertThat(page.locator("#matching-count")).hasText("1");
        page.locator("#s-time-timeZone").fill("Europe/Lisbon");
        shot(page, "25-settings-for-a-filter");
        button(page, "Apply to 1 sensor").click();
        assertThat(page.locator(".flash")).containsText("sent to 1 sensor");
        page.navigate(base + "/ui/sensors/" + sensorId);
        assertThat(page.locator("#live tr", new Page.LocatorOptions().setHasText("time.timeZone")))
                .containsText("Europe/Lisbon");
    }

    /**
     * A signed package uploaded through the page and rolled out to the test's sensor, which runs
     * an older release (see {@link #connectAgent}); the rollout page follows the sensor to the end
     * of its install.
     */
    private static void updateRollout(Page page, String base, String sensorId) throws Exception {
        String running = JSON.readTree(console.call("GET", "/api/v1/sensors/" + sensorId, null).body())
                .get("softwareVersion").asText();
        assertEquals(OLDER_RELEASE, running);
        Path pkg = UpdatePackages.build(Files.createDirectories(agentDir.getParent().resolve("package-build")), NEXT_RELEASE,
                List.of(OLDER_RELEASE), "exit 0");
        page.navigate(base + "/ui/updates");
        page.getByLabel("Package file (.pkg)").setInputFiles(pkg);
        button(page, "Upload").click();
        assertThat(page.locator(".flash")).hasText("Package " + NEXT_RELEASE + " uploaded");
        page.getByLabel("Package", new Page.GetByLabelOptions().setExact(true)).selectOption(
                new com.microsoft.playwright.options.SelectOption().setLabel(NEXT_RELEASE));
        page.getByLabel("Sensors", new Page.GetByLabelOptions().setExact(true)).selectOption("sensors");
        page.getByLabel("Sensor ids (space or comma separated)").fill(sensorId);
        page.getByLabel("Canary size").fill("0");
        button(page, "Start rollout").click();
        assertThat(page.locator("h1")).hasText("Rollout of " + NEXT_RELEASE);
        Locator row = page.locator("#rollout-sensors tbody tr").first();
        assertThat(row).containsText(OLDER_RELEASE);
        // The page polls itself every 2 s; the agent (every 2 s too) downloads, verifies, installs and checks.
        assertThat(page.locator("#rollout-state")).hasText("SUCCEEDED", LONG);
        assertThat(row.locator(".state")).hasText("SUCCEEDED");
        assertThat(page.locator("#rollout-sensors")).containsText("1 succeeded, 0 failed");
        shot(page, "26-rollout-succeeded");
        await().atMost(Duration.ofSeconds(30)).until(() -> NEXT_RELEASE.equals(JSON.readTree(
                console.call("GET", "/api/v1/sensors/" + sensorId, null).body()).get("softwareVersion").asText()));
    }

    /**
     * An operator-plane certificate made with openssl for this console's names, installed through
     * the form and listed; a weak one refused with the reason. The browser ignores certificate
     * errors, the test's own client is told to trust the new CA.
     */
    private static void operatorCertificate(Page page, String base) throws Exception {
        OpensslPki pki = OpensslPki.create("web-it-cert-");
        try {
            pki.write("leaf.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                    + "crlDistributionPoints=URI:http://127.0.0.1:9/test.crl\n");
            pki.leaf("leaf", 2048, "-sha256", "leaf.ext", "ca");
            pki.leaf("weak", 1024, "-sha256", "leaf.ext", "ca");

            page.navigate(base + "/ui/system");
            checks.expectRefusal("/ui/system/certificate");
            page.getByLabel("Certificate (PEM)").fill(pki.read("weak.crt"));
            page.getByLabel("Private key (PEM)").fill(pki.read("weak.key"));
            page.getByLabel("Chain (PEM, issuer first)").fill(pki.read("ca.crt"));
            button(page, "Install certificate").click();
            assertThat(page.locator(".error[role=alert]")).containsText("RSA key of 1024 bits");
            checked(page, "error page of a refused certificate");

            page.navigate(base + "/ui/system");
            page.getByLabel("Certificate (PEM)").fill(pki.read("leaf.crt"));
            page.getByLabel("Private key (PEM)").fill(pki.read("leaf.key"));
            page.getByLabel("Chain (PEM, issuer first)").fill(pki.read("ca.crt"));
            button(page, "Install certificate").click();
            assertThat(page.locator(".flash")).containsText("Certificate installed");
            console.trustOperatorCa(pki.dir().resolve("ca.crt"));
            String fingerprint = OpensslPki.fingerprint(pki.read("leaf.crt"));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                    .until(() -> fingerprint.equals(OpensslPki.presentedFingerprint(console.operatorPort)));
            page.reload();
            assertThat(page.locator("section[aria-labelledby=h-cert]"))
                    .containsText(fingerprint.substring(0, 16));
            shot(page, "27-operator-certificate");
        } finally {
            BackupFixture.deleteTree(pki.dir());
        }
    }

    /** Pages the walk-through reaches without a screenshot, checked all the same. */
    private static void pagesWithoutScreenshots(Page page, String base, String sensorId) throws Exception {
        String name = JSON.readTree(console.call("GET", "/api/v1/sensors/" + sensorId, null).body()).get("name").asText();
        page.navigate(base + "/ui/search?q=" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(page.locator("main")).containsText(name);
        checked(page, "search results");
        checks.expectRefusal("/ui/sensors/not-a-sensor");
        page.navigate(base + "/ui/sensors/not-a-sensor");
        assertThat(page.locator(".error[role=alert]")).isVisible();
        checked(page, "error page");
    }

    /** The agent reports every 2 s: its round trips and offsets are charted with their text alternative. */
    private static void sensorCharts(Page page) throws Exception {
        Locator latency = page.locator("figure#latency");
        assertThat(latency.locator("svg[role=img] > title")).hasText("Heartbeat round trip, 24h");
        assertThat(latency.locator("svg > desc")).containsText("Highest (solid line, circle markers)");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            page.reload();
            return page.locator("figure#latency svg text").allTextContents().stream()
                    .anyMatch(t -> t.matches("Average \\d+ ms"));
        });
        assertThat(page.locator("figure#offset svg > title")).hasText("Clock offset, 24h");
        assertThat(page.locator("figure#sensor-health svg > title")).hasText("Health, 24h");
        Locator table = page.locator("figure#latency details table");
        assertThat(table).not().isVisible();
        page.locator("figure#latency details summary").click();
        assertThat(table.locator("tbody tr").first()).isVisible();
        assertThat(page.locator("figure#latency figcaption")).containsText("latest");
        page.locator("figure#latency").scrollIntoViewIfNeeded();
        shot(page, "22-sensor-charts");
    }

    /** The fleet's roll-up is written by the console within seconds; versions and rollouts are drawn at once. */
    private static void dashboardCharts(Page page) throws Exception {
        assertThat(page.locator("figure#versions table tbody tr")).hasCount(1);
        assertThat(page.locator("figure#versions table tbody td").nth(2)).hasText("100 %");
        assertThat(page.locator("figure#rollouts svg")).containsText("No data yet");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            page.reload();
            return !page.locator("figure#connectivity-24h svg").textContent().contains("No data yet");
        });
        Locator connectivity = page.locator("figure#connectivity-24h");
        assertThat(connectivity.locator("svg > title")).hasText("Connectivity, 24h");
        assertThat(connectivity.locator("svg")).containsText("Synced");
        assertThat(connectivity.locator("svg")).containsText("Disconnected");
        assertThat(connectivity.locator("figcaption")).containsText("latest");
        assertThat(page.locator("figure#health-7d svg > title")).hasText("Health, 7d");
        page.locator("#h-history").scrollIntoViewIfNeeded();
        shot(page, "23-dashboard-charts");
    }

    /** The search box from the keyboard, a label set from the inventory, and what the sensor page shows. */
    private static void findLabelAndExport(Page page, String base, String sensorId) {
        page.reload();
        assertThat(page.locator("#last-backup")).not().hasText("none", LONG);
        String name = page.locator("h1").textContent().replace("Sensor ", "").strip();
        page.locator("h1").click();
        page.keyboard().press("/");
        assertThat(page.locator("#find")).isFocused();
        page.keyboard().type(name);
        page.keyboard().press("Enter");
        assertThat(page.locator("#search-results")).containsText(name);
        page.locator("#search-results a[href='/ui/sensors/" + sensorId + "']").click();

        page.navigate(base + "/ui/sensors");
        page.locator("input[name=sensorId][value='" + sensorId + "']").check();
        page.getByLabel("Label key").fill("env");
        page.getByLabel("Label value").fill("lab");
        page.locator("button[value=label-set]").click();
        assertThat(page.locator(".flash")).hasText("Label env set on 1 sensor");
        page.navigate(base + "/ui/sensors/" + sensorId);
        assertThat(page.locator("#labels")).hasText("env=lab");
        page.locator("#labels a").click();
        assertThat(page.locator("#count")).containsText("1 sensor match.");
        assertThat(page.locator("#export-csv")).hasAttribute("href", "/ui/export/sensors?format=csv&label=env%3Dlab");
    }

    private static void createOrganisation(Page page, String base) throws Exception {
        page.navigate(base + "/ui/zones");
        page.getByLabel("Business unit name").fill("Energy");
        button(page, "Create business unit").click();
        page.getByLabel("Region name").fill("North");
        button(page, "Create region").click();
        page.getByLabel("Site name").fill("Plant 1");
        page.getByLabel("Address").fill("1 Harbour Road");
        button(page, "Create site").click();
        page.getByLabel("Zone name").fill("Line 3");
        button(page, "Create zone").click();
        assertThat(page.locator(".tree")).containsText("Line 3");
        shot(page, "03-zones");
    }

    /**
     * A page the walk-through reached: no failed request or console error so far, no serious or
     * critical axe-core violation, then its screenshot.
     */
    private static void shot(Page page, String name) throws Exception {
        checked(page, name);
        chromium.screenshot(page, name);
    }

    /** The checks of {@link #shot} on a page that gets no screenshot. */
    private static void checked(Page page, String name) {
        try {
            checks.assertClean();
        } catch (AssertionError e) {
            problems.add(name + ": " + e.getMessage());
        }
        try {
            checks.accessible(page);
        } catch (AssertionError e) {
            problems.add(name + ": " + e.getMessage());
        }
    }

    private static com.microsoft.playwright.Locator button(Page page, String name) {
        return page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name));
    }

    /**
     * {@code sensor-agent connect}, then {@code sensor-agent run} in the background, as on a sensor.
     * The agent and the console come from one build and carry the same version, and a console
     * refuses packages newer than itself: the sensor starts as one installed from an older release.
     */
    private static String connectAgent(String connectionString) throws Exception {
        Path launcher = ThrowawayPostgres.repoRoot().resolve("sensor-agent/bin/sensor-agent");
        Path older = Files.createDirectories(agentDir.resolve("versions/" + OLDER_RELEASE));
        Files.writeString(older.resolve("VERSION"), OLDER_RELEASE + "\n");
        Files.createSymbolicLink(agentDir.resolve("versions/current"), Path.of(OLDER_RELEASE));
        Cli.Result connect = Cli.run(List.of("env", "SENSORFLEET_VENDOR_KEYS=" + UpdatePackages.devTestPublicKey(),
                launcher.toString(), "connect", connectionString, "--state-dir", agentDir.toString()), null);
        assertEquals(0, connect.exit(), connect.all());
        Path log = agentDir.getParent().resolve("agent.log");
        agent = new ProcessBuilder(launcher.toString(), "run", "--state-dir", agentDir.toString(), "--interval-seconds", "2",
                "--vendor-keys", UpdatePackages.devTestPublicKey().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String id = JSON.readTree(Files.readString(agentDir.resolve("agent.json"))).get("sensorId").asText();
        LOG.infof("agent %s running, log in %s", id, log);
        return id;
    }
}
