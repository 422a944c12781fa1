package io.sensorfleet.console.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.console.support.Cli;
import io.sensorfleet.console.support.ConsoleCluster;
import io.sensorfleet.console.support.ConsoleProcess;
import io.sensorfleet.console.support.Rsyslog;
import io.sensorfleet.console.support.Rules;
import io.sensorfleet.console.support.ThrowawayPostgres;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.sensorfleet.console.support.TestSensor.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real agent inside a network namespace made here, with real causes of bad health: its capture
 * interface (a veth end in the namespace) kept idle, its engine process absent, its data mount (a
 * small tmpfs mounted here) filled past the alarm. Two console instances on one database; a real
 * rsyslog receives the CEF forwarding. Only documentation addresses are used: a /30 of 198.51.100.0/24
 * between the namespace and the consoles, one of 203.0.113.0/24 on the capture link.
 */
class SensorHealthIT {
    private static final Logger LOG = Logger.getLogger(SensorHealthIT.class);
    /** A /30 of each documentation range picked at random, so that other tests' namespaces are not in the way. */
    private static final int UPLINK_NET = 4 * (8 + new java.util.Random().nextInt(54));
    private static final int CAPTURE_NET = 4 * (8 + new java.util.Random().nextInt(54));
    private static final String CONSOLE_ADDRESS = "198.51.100." + (UPLINK_NET + 1);
    private static final String SENSOR_ADDRESS = "198.51.100." + (UPLINK_NET + 2);
    private static final String CAPTURE_PEER = "203.0.113." + (CAPTURE_NET + 2);
    private static final String CAPTURE_ADDRESS = "203.0.113." + (CAPTURE_NET + 1);
    private static final String ENGINE = "sfit-engine";
    private static final String HEALTH_TYPES = "SENSOR_HEALTH_";

    static final String NS = "sfit" + Long.toHexString(System.nanoTime() & 0xffffff);
    static final String UPLINK_HOST = NS + "u";
    static final String UPLINK_NS = NS + "v";
    static final String CAPTURE_HOST = NS + "p";
    static final String CAPTURE = NS + "c";

    static ConsoleCluster cluster;
    static Rsyslog rsyslog;
    static Path work;
    static Path tmpfs;
    static final List<Process> processes = new ArrayList<>();
    static boolean namespaceMade;
    static boolean mounted;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                        && (Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))),
                "needs root and iproute2 to make a network namespace");
        int[] ports = {ThrowawayPostgres.freePort(), ThrowawayPostgres.freePort()};
        String advertised = CONSOLE_ADDRESS + ":" + ports[0] + "," + CONSOLE_ADDRESS + ":" + ports[1];
        cluster = ConsoleCluster.start(2, i -> Map.of("SENSORFLEET_AGENT_PLANE_PORT", String.valueOf(ports[i]),
                "SENSORFLEET_AGENT_PLANE_ADVERTISED_ADDRESSES", advertised), List.of("-Xmx384m"));
        rsyslog = Rsyslog.start();
        work = Files.createTempDirectory("sensor-health-it-");
        makeNamespace();
    }

    @AfterAll
    static void stop() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (mounted) {
            run("umount", tmpfs.toString());
        }
        deleteWorkDirectory();
        if (namespaceMade) {
            run("ip", "netns", "del", NS);
            run("ip", "link", "del", UPLINK_HOST);
            run("ip", "link", "del", CAPTURE_HOST);
        }
        if (rsyslog != null) {
            rsyslog.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * Removes the test's own temporary directory. It holds links to /proc and /sys: Files.walk does not
     * follow links and deleting a link removes only the link, so nothing outside the directory is touched.
     */
    private static void deleteWorkDirectory() {
        if (work == null) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("could not remove " + work + ": " + e.getMessage());
        }
    }

    /** The namespace: an uplink to the consoles and a capture link, both veth pairs, IPv6 off so nothing chatters. */
    private static void makeNamespace() {
        must("ip", "netns", "add", NS);
        namespaceMade = true;
        must("ip", "link", "add", UPLINK_HOST, "type", "veth", "peer", "name", UPLINK_NS);
        must("ip", "link", "add", CAPTURE_HOST, "type", "veth", "peer", "name", CAPTURE);
        for (String itf : List.of(UPLINK_HOST, CAPTURE_HOST)) {
            run("sysctl", "-qw", "net.ipv6.conf." + itf + ".disable_ipv6=1");
        }
        must("ip", "link", "set", UPLINK_NS, "netns", NS);
        must("ip", "link", "set", CAPTURE, "netns", NS);
        for (String itf : List.of(UPLINK_NS, CAPTURE)) {
            inNs("sysctl", "-qw", "net.ipv6.conf." + itf + ".disable_ipv6=1");
        }
        must("ip", "addr", "add", CONSOLE_ADDRESS + "/30", "dev", UPLINK_HOST);
        must("ip", "link", "set", UPLINK_HOST, "up");
        must("ip", "addr", "add", CAPTURE_PEER + "/30", "dev", CAPTURE_HOST);
        must("ip", "link", "set", CAPTURE_HOST, "up");
        inNsMust("ip", "link", "set", "lo", "up");
        inNsMust("ip", "addr", "add", SENSOR_ADDRESS + "/30", "dev", UPLINK_NS);
        inNsMust("ip", "link", "set", UPLINK_NS, "up");
        inNsMust("ip", "addr", "add", CAPTURE_ADDRESS + "/30", "dev", CAPTURE);
        inNsMust("ip", "link", "set", CAPTURE, "up");
    }

    @Test
    void realCausesAreShownNamedAndForwardedOncePerTransitionAndTheAgentKeepsTwoConnections() throws Exception {
        ConsoleProcess a = cluster.console(0);
        ConsoleProcess b = cluster.console(1);

        // The appliance: a 4 MB data mount filled to about 95 % (alarm at 85 %, FAILED from 98 %).
        tmpfs = Files.createDirectories(work.resolve("data"));
        must("mount", "-t", "tmpfs", "-o", "size=4m", "sfit-data", tmpfs.toString());
        mounted = true;
        Path fill = tmpfs.resolve("fill");
        Files.write(fill, new byte[3_900_000]);
        // The checks read the real /proc and /sys (the namespace's) through a system root of links;
        // this machine reports no clock synchronisation, so the root carries the marker systemd-timesyncd
        // writes: the only checks that change are the three under test.
        Path root = Files.createDirectories(work.resolve("root"));
        Files.createSymbolicLink(root.resolve("proc"), Path.of("/proc"));
        Files.createSymbolicLink(root.resolve("sys"), Path.of("/sys"));
        Files.createSymbolicLink(root.resolve("data"), tmpfs);
        Files.createDirectories(root.resolve("run/systemd/timesync"));
        Files.writeString(root.resolve("run/systemd/timesync/synchronized"), "");
        Path healthConfig = work.resolve("agent-health.properties");
        Files.writeString(healthConfig, String.join("\n",
                "health.mounts=/data",
                "health.processes=" + ENGINE,
                "health.interfaces=" + CAPTURE,
                "health.interface.idleMinutes=1",
                "health.memory.degradedPercent=99",
                "health.memory.failedPercent=100",
                "health.load.degradedPerCore=1000",
                "health.consecutiveRuns=2", ""));

        // Connect the agent from inside the namespace, then give it what a healthy sensor has.
        Path state = work.resolve("state");
        HttpResponse<String> created = a.call("POST", "/api/v1/connection-strings", Map.of("description", "health-it"));
        assertEquals(201, created.statusCode(), created.body());
        String cs = JSON.readTree(created.body()).get("connectionString").asText();
        Cli.Result connected = agentCli("connect", cs, "--state-dir", state.toString());
        assertEquals(0, connected.exit(), connected.all());
        String sensorId = JSON.readTree(Files.readString(state.resolve("agent.json"))).get("sensorId").asText();
        HttpResponse<String> r = a.call("PATCH", "/api/v1/settings/sensors/" + sensorId,
                Map.of("values", Map.of("backup.enabled", false)));
        assertEquals(200, r.statusCode(), r.body());
        r = a.call("POST", "/api/v1/sensors/" + sensorId + "/activation", Map.of("mode", "CONSOLE_CONNECTED"));
        assertEquals(201, r.statusCode(), r.body());
        String fileId = JSON.readTree(r.body()).get("id").asText();
        Path activation = work.resolve("activation.jws");
        Files.writeString(activation, a.call("GET", "/api/v1/sensors/" + sensorId + "/activation/" + fileId + "/file", null).body());
        Cli.Result activated = agentCli("activate", activation.toString(), "--state-dir", state.toString());
        assertEquals(0, activated.exit(), activated.all());
        Map<String, Object> cef = Rules.syslog(rsyslog.tcpPort, "TCP", "CEF");
        r = a.call("POST", "/api/v1/forwarding-rules", Rules.forSensors(List.of(sensorId), List.of(cef)));
        assertEquals(201, r.statusCode(), r.body());

        Process agent = agentDaemon(state, healthConfig, root);
        String path = "/api/v1/sensors/" + sensorId + "/health";
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertTrue(agent.isAlive(), "the agent stopped: " + log(state));
            JsonNode h = JSON.readTree(b.call("GET", path, null).body());
            assertEquals("FAILED", h.path("status").asText(), h.toString());
            assertEquals(Set.of("disk:/data", "process:" + ENGINE), failing(h), h.toString());
        });
        // The capture interface joins once it saw no packet for a minute.
        await().atMost(Duration.ofSeconds(150)).ignoreExceptions().pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertTrue(agent.isAlive(), "the agent stopped: " + log(state));
            JsonNode h = JSON.readTree(a.call("GET", path, null).body());
            assertEquals(Set.of("disk:/data", "process:" + ENGINE, "interface:" + CAPTURE), failing(h), h.toString());
        });
        JsonNode listed = JSON.readTree(b.call("GET", "/api/v1/sensors?health=FAILED", null).body());
        assertTrue(listed.toString().contains("interface:" + CAPTURE), listed.toString());

        // Idle: one heartbeat and one long-poll, nothing else.
        int most = 0;
        for (int i = 0; i < 8; i++) {
            most = Math.max(most, connectionsToConsoles());
            Thread.sleep(1000);
        }
        LOG.infof("the idle agent held at most %d TCP connections to the consoles", most);
        assertTrue(most >= 1 && most <= 2, "connections to the consoles: " + most);

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertForwardedOnceEach(a, sensorId));
        // From here on the other instance serves the agent: the transitions stay once.
        a.close();

        Files.delete(fill);
        Path engine = work.resolve(ENGINE);
        Files.copy(Path.of("/bin/sleep"), engine);
        engine.toFile().setExecutable(true);
        processes.add(new ProcessBuilder(engine.toString(), "3600").start());
        processes.add(new ProcessBuilder("ping", "-q", "-i", "0.5", "-I", CAPTURE_HOST, CAPTURE_ADDRESS)
                .redirectErrorStream(true).redirectOutput(work.resolve("ping.log").toFile()).start());

        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertTrue(agent.isAlive(), "the agent stopped: " + log(state));
            JsonNode h = JSON.readTree(b.call("GET", path, null).body());
            assertEquals("OK", h.path("status").asText(), h.toString());
        });
        Thread.sleep(6000); // a few more heartbeats: nothing more may be raised
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertForwardedOnceEach(b, sensorId));
        JsonNode recovered = JSON.readTree(b.call("GET", "/api/v1/notifications?type=SENSOR_HEALTH_RECOVERED&sensorId="
                + sensorId, null).body());
        assertEquals(1, recovered.get("total").asInt(), recovered.toString());
    }

    private static Set<String> failing(JsonNode health) {
        Set<String> out = new HashSet<>();
        health.path("checks").forEach(c -> {
            if (!"OK".equals(c.path("status").asText())) {
                out.add(c.path("name").asText());
            }
        });
        return out;
    }

    /** Every health notification of the sensor reached rsyslog exactly once as CEF, and nothing else did. */
    private static void assertForwardedOnceEach(ConsoleProcess c, String sensorId) throws Exception {
        JsonNode page = JSON.readTree(c.call("GET", "/api/v1/notifications?size=100&sensorId=" + sensorId, null).body());
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(n -> {
            if (n.path("type").asText().startsWith(HEALTH_TYPES)) {
                ids.add(n.path("id").asText());
            }
        });
        List<String> received = new ArrayList<>();
        for (JsonNode m : rsyslog.tcpMessages()) {
            String msg = m.path("msg").asText();
            if (msg.contains("|" + HEALTH_TYPES)) {
                received.add(msg);
            }
        }
        assertTrue(!ids.isEmpty(), "no health notification recorded");
        assertEquals(ids.size(), received.size(), "one CEF message per transition: " + ids + " / " + received);
        for (String id : ids) {
            assertEquals(1, received.stream().filter(m -> m.contains("externalId=" + id)).count(), id + " in " + received);
        }
    }

    private static int connectionsToConsoles() {
        Cli.Result ss = Cli.run(List.of("ip", "netns", "exec", NS, "ss", "-Htn", "state", "established"), null);
        if (ss.exit() != 0) {
            throw new IllegalStateException("ss: " + ss.all());
        }
        // The JVM's sockets show the console as [::ffff:198.51.100.1]:port.
        return (int) ss.out().lines().filter(l -> l.contains(CONSOLE_ADDRESS + ":") || l.contains(CONSOLE_ADDRESS + "]:"))
                .count();
    }

    /** The packaged agent, as a sensor runs it. */
    private static Path agentJar() {
        Path jar = ThrowawayPostgres.repoRoot().resolve("sensor-agent/target/sensor-agent.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " does not exist: build the reactor (mvnw verify) first");
        }
        return jar;
    }

    private static Cli.Result agentCli(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NS, java(), "-jar", agentJar().toString()));
        cmd.addAll(List.of(args));
        return Cli.run(cmd, null);
    }

    private static Process agentDaemon(Path state, Path healthConfig, Path root) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NS, java(), "-Xmx64m", "-jar",
                agentJar().toString(), "run", "--state-dir", state.toString(),
                "--health-config", healthConfig.toString(), "--system-root", root.toString(), "--interval-seconds", "2"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(state.resolveSibling("agent.log").toFile())
                .start();
        processes.add(0, p);
        return p;
    }

    private static String log(Path state) {
        try {
            return Files.readString(state.resolveSibling("agent.log"));
        } catch (Exception e) {
            return "(no log)";
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static void inNs(String... cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", NS));
        all.addAll(List.of(cmd));
        run(all.toArray(String[]::new));
    }

    private static void inNsMust(String... cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", NS));
        all.addAll(List.of(cmd));
        must(all.toArray(String[]::new));
    }

    private static void must(String... cmd) {
        Cli.Result r = run(cmd);
        if (r.exit() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + r.all());
        }
    }

    private static Cli.Result run(String... cmd) {
        return Cli.run(List.of(cmd), null);
    }
}
