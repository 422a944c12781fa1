package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.console.support.Cli;
import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.Rsyslog;
import io.sensorfleet.console.support.Rules;
import io.sensorfleet.console.support.ThrowawayPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real agent (the launcher, as a sensor runs it) in a network namespace of its own, reaching
 * the packaged console only through a veth pair: 198.51.100.1 on the console's side, the sensor's
 * management interface inside the namespace. As in the systemd units, the agent runs as an
 * unprivileged user without capabilities and changes the appliance through the privileged helper,
 * one helper process per connection on a Unix socket (this test stands in for systemd's
 * {@code Accept=yes} socket). Pushed addresses are put in force with ip and checked with ip -n; one
 * the console cannot be reached from is reverted and reported to a real rsyslog. Documentation
 * addresses only; the namespace and the pair are removed afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkSettingsIT {
    static final String CONSOLE_IP = "198.51.100.1";
    static String ns;
    static String hostSide;
    static String sensorSide;
    static ConsoleCluster cluster;
    static ConsoleProcess console;
    static Rsyslog rsyslog;
    static Process agent;
    static Path work;
    static Path root;
    static ServerSocketChannel helperSocket;
    static final String NOBODY = "65534";
    static String sensorId;

    @BeforeAll
    static void start() throws Exception {
        String tag = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xfffffL);
        ns = "sf-net-" + tag;
        hostSide = "sfh" + tag;
        sensorSide = "sfs" + tag;
        Cli.Result made = Cli.run(List.of("ip", "netns", "add", ns), null);
        assumeTrue(made.exit() == 0, "creating a network namespace is refused here (" + made.all().strip() + "); skipped");
        sh("ip", "link", "add", hostSide, "type", "veth", "peer", "name", sensorSide, "netns", ns);
        sh("ip", "addr", "add", CONSOLE_IP + "/24", "dev", hostSide);
        sh("ip", "link", "set", hostSide, "up");
        sh("ip", "-n", ns, "link", "set", "lo", "up");
        sh("ip", "-n", ns, "addr", "add", "198.51.100.10/24", "dev", sensorSide);
        sh("ip", "-n", ns, "link", "set", sensorSide, "up");

        int agentPort = ThrowawayPostgres.freePort();
        cluster = ConsoleCluster.start(1, Map.of("SENSORFLEET_AGENT_PLANE_PORT", String.valueOf(agentPort),
                "SENSORFLEET_AGENT_PLANE_ADVERTISED_ADDRESSES", CONSOLE_IP + ":" + agentPort), List.of("-Xmx512m"));
        console = cluster.console(0);
        rsyslog = Rsyslog.start();

        work = Files.createTempDirectory("network-it-");
        root = work.resolve("root");
        // The initial settings carry the default time zone, whose data the appliance must have.
        Files.createDirectories(root.resolve("usr/share/zoneinfo"));
        Files.writeString(root.resolve("usr/share/zoneinfo/UTC"), "TZif");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path state = work.resolve("state");
        Files.createDirectories(state);
        sh("chown", NOBODY + ":" + NOBODY, state.toString());
        Path launcher = ThrowawayPostgres.repoRoot().resolve("sensor-agent/bin/sensor-agent");
        Path socket = startHelper(launcher);
        String cs = JSON.readTree(call("POST", "/api/v1/connection-strings", Map.of("zoneId", zone())).body())
                .get("connectionString").asText();
        Cli.Result connect = Cli.run(unprivileged(launcher, "connect", cs, "--state-dir", state.toString()), null);
        assertEquals(0, connect.exit(), connect.all());
        sensorId = JSON.readTree(Files.readString(state.resolve("agent.json"))).get("sensorId").asText();
        assertEquals(201, call("POST", "/api/v1/forwarding-rules", Rules.forSensors(List.of(sensorId),
                List.of(Rules.syslog(rsyslog.tcpPort, "TCP", "CEF")))).statusCode());
        ProcessBuilder daemon = new ProcessBuilder(unprivileged(launcher, "run", "--state-dir", state.toString(),
                "--appliance", "helper", "--helper-socket", socket.toString()))
                .redirectErrorStream(true).redirectOutput(work.resolve("agent.log").toFile());
        agent = daemon.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertEquals("SYNCED", sensor().get("connectivity").asText(), agentLog()));
    }

    /** As the agent's unit runs it: another user than root, no capability, in the sensor's namespace. */
    static List<String> unprivileged(Path launcher, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns, "setpriv", "--reuid=" + NOBODY,
                "--regid=" + NOBODY, "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", launcher.toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    /** What systemd does with sensorfleet-appliance.socket: one root helper per connection, stdin/stdout the connection. */
    static Path startHelper(Path launcher) throws Exception {
        Path socket = work.resolve("appliance.sock");
        helperSocket = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        Thread.ofPlatform().daemon().name("appliance-helper-socket").start(() -> {
            while (helperSocket.isOpen()) {
                try (SocketChannel c = helperSocket.accept()) {
                    byte[] request = Channels.newInputStream(c).readAllBytes();
                    Process p = new ProcessBuilder("ip", "netns", "exec", ns, launcher.toString(), "appliance-helper",
                            "--system-root", root.toString(), "--management-interface", sensorSide, "--engine-reload=")
                            .redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("helper.log").toFile())).start();
                    try (var in = p.getOutputStream()) {
                        in.write(request);
                    }
                    byte[] response = p.getInputStream().readAllBytes();
                    p.waitFor();
                    Channels.newOutputStream(c).write(response);
                } catch (Exception e) {
                    if (helperSocket.isOpen()) {
                        System.err.println("appliance helper connection failed: " + e);
                    }
                }
            }
        });
        return socket;
    }

    @Test
    @Order(0)
    void theAgentRunsWithoutRootAndWithoutCapabilities() throws Exception {
        ProcessHandle jvm = Stream.concat(Stream.of(agent.toHandle()), agent.toHandle().descendants())
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst().orElseThrow();
        List<String> status = Files.readAllLines(Path.of("/proc", String.valueOf(jvm.pid()), "status"));
        assertTrue(status.contains("Uid:\t" + NOBODY + "\t" + NOBODY + "\t" + NOBODY + "\t" + NOBODY), status.toString());
        assertTrue(status.contains("CapEff:\t0000000000000000"), status.toString());
        assertTrue(status.contains("CapPrm:\t0000000000000000"), status.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.destroy();
            agent.waitFor();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (rsyslog != null) {
            rsyslog.close();
        }
        if (helperSocket != null) {
            helperSocket.close();
        }
        if (ns != null) {
            // Deleting the namespace deletes the sensor's end, and with it the console's end of the pair.
            Cli.run(List.of("ip", "netns", "del", ns), null);
            Cli.run(List.of("ip", "link", "del", hostSide), null);
        }
    }

    @Test
    @Order(1)
    void aNewAddressInTheSubnetIsInForceAndTheSensorIsSyncedFromIt() throws Exception {
        long revision = patch(Map.of("network.ipAddress", "198.51.100.20", "network.subnetMask", "24"));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode s = sensor();
            assertEquals(revision, s.get("appliedSettingsRevision").asLong(), s + agentLog());
            assertEquals("SYNCED", s.get("connectivity").asText());
        });
        String addr = sh("ip", "-n", ns, "addr", "show", "dev", sensorSide);
        assertTrue(addr.contains("inet 198.51.100.20/24"), addr);
        assertFalse(addr.contains("198.51.100.10/"), addr);
        JsonNode settings = JSON.readTree(call("GET", "/api/v1/sensors/" + sensorId + "/settings", null).body());
        assertTrue(settings.toString().contains("198.51.100.20"), settings.toString());
    }

    @Test
    @Order(2)
    void anAddressTheConsoleCannotBeReachedFromIsRevertedAndReportedOnce() throws Exception {
        long revision = patch(Map.of("network.ipAddress", "203.0.113.20", "network.subnetMask", "24",
                "network.confirmSeconds", 10));
        String reason = "network.ipAddress: reverted: console unreachable at " + CONSOLE_IP + " within 10 s";

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode settings = JSON.readTree(call("GET", "/api/v1/sensors/" + sensorId + "/settings", null).body());
            assertEquals(reason, settings.path("error").asText(), settings + agentLog());
        });
        assertEquals("OUT_OF_SYNC", sensor().get("connectivity").asText());
        String addr = sh("ip", "-n", ns, "addr", "show", "dev", sensorSide);
        assertTrue(addr.contains("inet 198.51.100.20/24"), addr);
        assertFalse(addr.contains("203.0.113.20"), addr);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> failedMessages() == 1);
        // The agent repeats the failure a minute later; the notification stays one.
        Thread.sleep(3000);
        assertEquals(1, failedMessages());
        JsonNode notes = JSON.readTree(call("GET", "/api/v1/notifications?type=SETTINGS_APPLY_FAILED&sensorId="
                + sensorId, null).body());
        assertEquals(1, notes.get("total").asInt(), notes.toString());
        assertTrue(notes.get("items").get(0).get("message").asText().contains("revision " + revision), notes.toString());
    }

    @Test
    @Order(3)
    void timeZoneHostNameAndDnsAreInForceAsTheSystemReportsThemAndAnEditByHandIsDrift() throws Exception {
        Files.createDirectories(root.resolve("usr/share/zoneinfo/Europe"));
        Files.writeString(root.resolve("usr/share/zoneinfo/Europe/Berlin"), "TZif");
        Files.writeString(root.resolve("etc/resolv.conf"), "search plant.example\nnameserver 192.0.2.53\n");
        // The address the previous test left desired is set back to the one in force; the DNS change is on trial.
        long revision = patch(Map.of("network.ipAddress", "198.51.100.20", "time.timeZone", "Europe/Berlin",
                "network.hostname", "substation-7", "network.dnsServers", List.of("198.51.100.53")));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode s = sensor();
            assertEquals(revision, s.get("appliedSettingsRevision").asLong(), s + agentLog());
            assertEquals("SYNCED", s.get("connectivity").asText());
        });
        assertEquals(Path.of("/usr/share/zoneinfo/Europe/Berlin"), Files.readSymbolicLink(root.resolve("etc/localtime")));
        assertEquals("substation-7\n", Files.readString(root.resolve("etc/hostname")));
        assertEquals("search plant.example\nnameserver 198.51.100.53\n", Files.readString(root.resolve("etc/resolv.conf")));

        Files.writeString(root.resolve("etc/resolv.conf"), "nameserver 203.0.113.53\n");
        // Drift is looked for each time the work long-poll comes back empty.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode settings = JSON.readTree(call("GET", "/api/v1/sensors/" + sensorId + "/settings", null).body());
            assertTrue(settings.path("drift").toString().contains("network.dnsServers"), settings + agentLog());
        });
        assertEquals("OUT_OF_SYNC", sensor().get("connectivity").asText());
    }

    private static long failedMessages() throws Exception {
        return rsyslog.tcpMessages().stream().filter(m -> m.toString().contains("SETTINGS_APPLY_FAILED")).count();
    }

    private static long patch(Map<String, Object> values) throws Exception {
        HttpResponse<String> r = call("PATCH", "/api/v1/settings/sensors/" + sensorId, Map.of("values", values));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("revision").asLong();
    }

    private static JsonNode sensor() throws Exception {
        return JSON.readTree(call("GET", "/api/v1/sensors/" + sensorId, null).body());
    }

    private static String zone() throws Exception {
        String bu = id(call("POST", "/api/v1/business-units", Map.of("name", "BU " + System.nanoTime())));
        String region = id(call("POST", "/api/v1/regions", Map.of("name", "R", "businessUnitId", bu)));
        String site = id(call("POST", "/api/v1/sites", Map.of("name", "S", "regionId", region)));
        return id(call("POST", "/api/v1/zones", Map.of("name", "Z", "siteId", site)));
    }

    private static String id(HttpResponse<String> r) throws Exception {
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    private static HttpResponse<String> call(String method, String path, Object body) throws Exception {
        return console.call(method, path, body);
    }

    private static String agentLog() {
        try {
            Path helper = work.resolve("helper.log");
            return "\nagent log:\n" + Files.readString(work.resolve("agent.log"))
                    + (Files.exists(helper) ? "\nhelper log:\n" + Files.readString(helper) : "");
        } catch (Exception e) {
            return "";
        }
    }

    private static String sh(String... argv) {
        Cli.Result r = Cli.run(List.of(argv), null);
        assertEquals(0, r.exit(), String.join(" ", argv) + ": " + r.all());
        return r.out();
    }
}
