package io.sensorfleet.simulator;

import io.sensorfleet.agent.identity.Pem;
import io.sensorfleet.agent.testing.FakeConsole;
import io.sensorfleet.agent.testing.TestCa;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.enrollment.EnrollRequest;
import io.sensorfleet.protocol.v1.enrollment.EnrollResponse;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetSimulatorTest {
    private static TestCa ca;

    @TempDir
    Path tmp;

    private FakeConsole console;
    /** Tokens the fake console has seen used; it refuses a second use like the real one unless told otherwise. */
    private final Set<String> usedTokens = ConcurrentHashMap.newKeySet();
    private volatile boolean singleUse = true;

    @BeforeAll
    static void consoleCa() {
        ca = TestCa.create("Console CA");
    }

    @BeforeEach
    void start() {
        console = FakeConsole.start(ca, Clock.systemUTC());
        console.on(AgentPaths.ENROLL, exchange -> {
            EnrollRequest request = FakeConsole.read(exchange.body(), EnrollRequest.class);
            if (!usedTokens.add(request.token()) && singleUse) {
                return FakeConsole.Reply.problem(409, "token-used", "the enrollment token was already used");
            }
            String sensorId = UUID.randomUUID().toString();
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            X509Certificate certificate = ca.issueFromCsr(request.csrPem(), sensorId, now.minusSeconds(60),
                    now.plus(Duration.ofDays(30)));
            return FakeConsole.ok(new EnrollResponse(sensorId, request.hostname(), Pem.certificate(certificate), ca.pem(),
                    certificate.getNotAfter().toInstant(), 30, List.of(console.address().toString())));
        });
    }

    @AfterEach
    void stop() {
        console.close();
    }

    private Path connectionStrings(int n) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("# made by the test");
        for (int i = 0; i < n; i++) {
            String token = String.format("%043d", i);
            lines.add(new ConnectionString(List.of(console.address()), token, ca.fingerprint()).encode());
        }
        return Files.write(tmp.resolve("strings.txt"), lines);
    }

    private SimulationReport run(SimulatorOptions options) throws Exception {
        return new FleetSimulator(options, SensorBehaviour.HEALTHY, new PrintWriter(new StringWriter()),
                new StringReader("")).run();
    }

    private static SimulationReport.Phase phase(SimulationReport report, String name) {
        return report.phases().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void everySensorEnrollsWithItsOwnKeyAndReportsWithItsOwnCertificate() throws Exception {
        SimulationReport report = run(SimulatorOptions.builder(12).connectionStrings(connectionStrings(12))
                .intervalSeconds(1).timing(Duration.ofMillis(500), Duration.ZERO, Duration.ofMillis(2500)).build());

        assertEquals(12, report.enrollment().enrolled());
        SimulationReport.Phase steady = phase(report, "steady");
        assertEquals(12, steady.sensorsReported(), "every sensor reported in the measured phase");
        assertEquals(0, steady.failureCount(), String.valueOf(steady.failures()));
        Set<String> clients = console.exchanges(AgentPaths.HEARTBEAT).stream()
                .map(e -> e.clientCertificate().getSubjectX500Principal().getName()).collect(Collectors.toSet());
        assertEquals(12, clients.size(), "one certificate per sensor");
        Set<String> keys = console.exchanges(AgentPaths.HEARTBEAT).stream()
                .map(e -> java.util.HexFormat.of().formatHex(e.clientCertificate().getPublicKey().getEncoded()))
                .collect(Collectors.toSet());
        assertEquals(12, keys.size(), "one key per sensor");
    }

    @Test
    void everyHeartbeatAfterASensorsFirstCarriesThePreviousRoundTrip() throws Exception {
        run(SimulatorOptions.builder(4).connectionStrings(connectionStrings(4))
                .intervalSeconds(1).timing(Duration.ofMillis(500), Duration.ZERO, Duration.ofMillis(2500)).build());

        Map<String, List<HeartbeatRequest>> bySensor = new HashMap<>();
        for (FakeConsole.Exchange e : console.exchanges(AgentPaths.HEARTBEAT)) {
            bySensor.computeIfAbsent(e.clientCertificate().getSubjectX500Principal().getName(), k -> new ArrayList<>())
                    .add(FakeConsole.read(e.body(), HeartbeatRequest.class));
        }
        assertEquals(4, bySensor.size());
        for (List<HeartbeatRequest> sent : bySensor.values()) {
            assertTrue(sent.size() >= 2, "heartbeats of one sensor: " + sent.size());
            assertNull(sent.getFirst().roundTripMs(), "a first heartbeat has no previous round trip");
            for (HeartbeatRequest hb : sent.subList(1, sent.size())) {
                assertNotNull(hb.roundTripMs(), "a later heartbeat reports the previous one's round trip");
                assertTrue(hb.roundTripMs() >= 0 && hb.roundTripMs() <= HeartbeatRequest.MAX_ROUND_TRIP_MS,
                        "roundTripMs " + hb.roundTripMs());
            }
        }
    }

    @Test
    void theTimelineCountsTheHeartbeatsOfThePhasesInContiguousIntervals() throws Exception {
        SimulationReport report = run(SimulatorOptions.builder(12).connectionStrings(connectionStrings(12))
                .intervalSeconds(1).timing(Duration.ofMillis(500), Duration.ZERO, Duration.ofMillis(2500)).build());

        List<SimulationReport.TimelinePoint> timeline = report.timeline();
        assertTrue(!timeline.isEmpty(), "at least the last interval is reported");
        for (int i = 1; i < timeline.size(); i++) {
            assertEquals(timeline.get(i - 1).endEpochMs(), timeline.get(i).startEpochMs(), "intervals follow each other");
        }
        long inTimeline = timeline.stream().mapToLong(SimulationReport.TimelinePoint::ok).sum();
        long inPhases = report.phases().stream().mapToLong(SimulationReport.Phase::ok).sum();
        assertTrue(inPhases > 0);
        // a heartbeat answered at the instant the run stops may fall on either side of the last cut
        assertTrue(Math.abs(inTimeline - inPhases) <= 12, inTimeline + " in the timeline, " + inPhases + " in the phases");
        assertTrue(timeline.stream().allMatch(p -> p.latency().count() == p.ok()));
    }

    @Test
    void connectionsOpenedOneAtATimeStillBringEverySensorIn() throws Exception {
        SimulationReport report = run(SimulatorOptions.builder(12).connectionStrings(connectionStrings(12))
                .intervalSeconds(1).maxConnecting(1)
                .timing(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(8)).build());

        SimulationReport.Phase steady = phase(report, "steady");
        assertEquals(12, steady.sensorsReported());
        assertEquals(0, steady.failureCount(), String.valueOf(steady.failures()));
        assertEquals(12, console.exchanges(AgentPaths.HEARTBEAT).stream().mapToInt(FakeConsole.Exchange::remotePort)
                .distinct().count(), "one connection per sensor, each opened once");
    }

    @Test
    void keptAliveConnectionsAreReusedAndPerHeartbeatConnectionsAreNot() throws Exception {
        Path strings = connectionStrings(4);
        SimulatorOptions.Builder options = SimulatorOptions.builder(4).connectionStrings(strings).intervalSeconds(1)
                .timing(Duration.ZERO, Duration.ZERO, Duration.ofMillis(2600));

        SimulationReport kept = run(options.build());
        usedTokens.clear();
        SimulationReport perHeartbeat = run(options.clientKeepAlive(Duration.ZERO).build());

        SimulationReport.Phase k = phase(kept, "steady");
        SimulationReport.Phase p = phase(perHeartbeat, "steady");
        assertEquals(4, k.handshakes(), "one connection per sensor");
        assertTrue(k.ok() >= 8, "heartbeats: " + k.ok());
        assertEquals(p.ok(), p.handshakes(), "a new connection for every heartbeat");
    }

    @Test
    void aTokenAcceptedTwiceIsReportedAndARefusedReplayIsNot() throws Exception {
        SimulatorOptions options = SimulatorOptions.builder(10).connectionStrings(connectionStrings(10))
                .enrollment(8, 0, 0.5).enrollOnly(true).build();

        SimulationReport strict = run(options);
        usedTokens.clear();
        singleUse = false;
        SimulationReport lax = run(options);

        assertEquals(5, strict.enrollment().replaysSent());
        assertEquals(5, strict.enrollment().replaysRejected());
        assertEquals(0, strict.enrollment().replaysAccepted());
        assertEquals(10, strict.enrollment().enrolled());
        assertEquals(5, lax.enrollment().replaysAccepted(), "a console that lets a token in twice is caught");
    }

    @Test
    void warmUpSensorsAreEnrolledFirstWithTheirOwnTokensAndLeftOutOfTheMeasuredBurstAndTheSavedIdentities()
            throws Exception {
        Path identities = tmp.resolve("warm/identities.json");
        SimulatorOptions options = SimulatorOptions.builder(6).connectionStrings(connectionStrings(10))
                .identities(identities).enrollment(4, 0, 0.5).enrollWarmup(4).enrollOnly(true).build();

        SimulationReport report = run(options);

        SimulationReport.Enrollment e = report.enrollment();
        assertEquals(10, usedTokens.size(), "warm-up and burst used all ten tokens");
        assertEquals(6, e.requested());
        assertEquals(6, e.enrolled());
        assertEquals(4, e.warmupEnrolled());
        assertEquals(2 + 3, e.replaysSent(), "the warm-up's replays are checked as the burst's are");
        assertEquals(0, e.replaysAccepted());
        assertEquals(6, IdentityFile.load(identities).size(), "only the measured sensors are kept");
    }

    @Test
    void savedIdentitiesAreReusedWithoutEnrollingAgain() throws Exception {
        Path identities = tmp.resolve("fleet/identities.json");
        run(SimulatorOptions.builder(5).connectionStrings(connectionStrings(5)).identities(identities)
                .enrollOnly(true).build());
        int enrollments = console.exchanges(AgentPaths.ENROLL).size();

        SimulationReport again = run(SimulatorOptions.builder(5).identities(identities).intervalSeconds(1)
                .timing(Duration.ZERO, Duration.ZERO, Duration.ofMillis(1500)).build());

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(identities)));
        assertEquals(5, again.enrollment().loaded());
        assertEquals(enrollments, console.exchanges(AgentPaths.ENROLL).size(), "no enrollment the second time");
        assertEquals(5, phase(again, "steady").sensorsReported());
    }

    @Test
    void throttledHeartbeatsWaitForRetryAfterAndAreCountedByKind() throws Exception {
        console.on(AgentPaths.HEARTBEAT, exchange -> FakeConsole.Reply.problem(429, "busy", "busy")
                .withHeader("Retry-After", "5"));

        SimulationReport report = run(SimulatorOptions.builder(3).connectionStrings(connectionStrings(3))
                .intervalSeconds(1).timing(Duration.ZERO, Duration.ZERO, Duration.ofMillis(2500)).build());

        SimulationReport.Phase steady = phase(report, "steady");
        assertEquals(3L, steady.failures().get("http-429"), "one attempt each, then waiting 5 s: " + steady.failures());
        assertEquals(0, steady.sensorsReported());
    }

    @Test
    void phasesFollowTheControlInput() throws Exception {
        SimulatorOptions options = SimulatorOptions.builder(2).connectionStrings(connectionStrings(2)).intervalSeconds(1)
                .timing(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(20)).controlInput(true).build();
        java.io.PipedWriter control = new java.io.PipedWriter();
        java.io.PipedReader input = new java.io.PipedReader(control);
        FleetSimulator simulator = new FleetSimulator(options, SensorBehaviour.HEALTHY,
                new PrintWriter(new StringWriter()), input);
        Thread controller = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(800);
                control.write("phase outage\n");
                control.flush();
                Thread.sleep(800);
                control.write("stop\n");
                control.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        SimulationReport report = simulator.run();
        controller.join();

        assertEquals(List.of("ramp", "outage"), report.phases().stream().map(SimulationReport.Phase::name).toList());
        assertTrue(report.phases().getLast().durationMs() < 10_000, "stopped by the controller, not the 20 s limit");
    }
    @Test
    void aWatchedConnectionClosedByARestartBringsTheHeartbeatForwardAsTheAgentsWorkPollDoes() throws Exception {
        assertEquals(3, heartbeatsWithinAfterARestart(true, Duration.ofSeconds(20)),
                "each sensor reported to the restarted console at once, not at its turn a minute later");
    }

    @Test
    void sensorsBackOnTheRestartedConsoleBeforeTheControllerSawItReadyCountAsBack() throws Exception {
        SimulatorOptions options = SimulatorOptions.builder(3).connectionStrings(connectionStrings(3)).intervalSeconds(60)
                .timing(Duration.ZERO, Duration.ZERO, Duration.ofMinutes(2)).controlInput(true)
                .watchConnection(true).build();
        java.io.PipedWriter control = new java.io.PipedWriter();
        FleetSimulator simulator = new FleetSimulator(options, SensorBehaviour.HEALTHY,
                new PrintWriter(new StringWriter()), new java.io.PipedReader(control));
        java.util.concurrent.Future<SimulationReport> run = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()
                .submit(simulator::run);
        awaitHeartbeats(console, 3, Duration.ofSeconds(20));
        control.write("phase outage\n");
        control.flush();
        console = console.restart();
        awaitHeartbeats(console, 3, Duration.ofSeconds(20));
        // Only now does the controller see the console ready: the sensors came back before that.
        control.write("phase recovery with-reconnected\n");
        control.write("stop\n");
        control.close();
        SimulationReport report = run.get(30, java.util.concurrent.TimeUnit.SECONDS);

        // Their next heartbeats are a minute away: they count only if they are carried over.
        SimulationReport.Phase recovery = phase(report, "recovery");
        assertEquals(3, recovery.sensorsReported(), "back on connections opened during the outage");
        assertEquals(0L, recovery.allReportedAfterMs());
        assertEquals(3, console.exchanges(AgentPaths.HEARTBEAT).size(), "counted, not sent again");
    }

    @Test
    void aHeartbeatSentInOnePhaseAndAnsweredInTheNextCountsAsReportedInBoth() throws Exception {
        SimulationReport report = heartbeatAnsweredAfterThePhaseChanged(
                FakeConsole.ok(new io.sensorfleet.protocol.v1.heartbeat.HeartbeatResponse(java.time.Instant.now(), 60)));

        assertEquals(1, phase(report, "ramp").sensorsReported(), "sent in the ramp");
        assertEquals(1, phase(report, "ramp").ok(), "its latency belongs to the phase it was sent in");
        SimulationReport.Phase outage = phase(report, "outage");
        assertEquals(1, outage.sensorsReported(), "answered in the outage");
        assertEquals(0, outage.ok());
        assertEquals(1, console.exchanges(AgentPaths.HEARTBEAT).size(), "one heartbeat, counted twice");
    }

    @Test
    void aFailureCountsInThePhaseItHappenedIn() throws Exception {
        // A storm's "no error after the restart" must see a handshake the new console cut, even
        // when the attempt began before the controller saw the console ready.
        SimulationReport report = heartbeatAnsweredAfterThePhaseChanged(FakeConsole.Reply.problem(503, "busy", "busy"));

        assertEquals(0L, phase(report, "ramp").failureCount(), String.valueOf(phase(report, "ramp").failures()));
        SimulationReport.Phase outage = phase(report, "outage");
        assertTrue(outage.failures().keySet().stream().anyMatch(k -> k.startsWith("http-503")), String.valueOf(outage.failures()));
    }

    /** One sensor; its first heartbeat is answered with {@code answer} once the controller has begun phase "outage". */
    private SimulationReport heartbeatAnsweredAfterThePhaseChanged(FakeConsole.Reply answer) throws Exception {
        java.util.concurrent.CountDownLatch received = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        console.on(AgentPaths.HEARTBEAT, exchange -> {
            if (!first.getAndSet(false)) {
                return FakeConsole.ok(new io.sensorfleet.protocol.v1.heartbeat.HeartbeatResponse(java.time.Instant.now(), 60));
            }
            received.countDown();
            try {
                release.await(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return answer;
        });
        SimulatorOptions options = SimulatorOptions.builder(1).connectionStrings(connectionStrings(1)).intervalSeconds(60)
                .timing(Duration.ZERO, Duration.ZERO, Duration.ofMinutes(2)).controlInput(true).build();
        java.io.PipedWriter control = new java.io.PipedWriter();
        StringWriter log = new StringWriter();
        FleetSimulator simulator = new FleetSimulator(options, SensorBehaviour.HEALTHY,
                new PrintWriter(log, true), new java.io.PipedReader(control));
        java.util.concurrent.Future<SimulationReport> run = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()
                .submit(simulator::run);
        assertTrue(received.await(20, java.util.concurrent.TimeUnit.SECONDS), "the heartbeat was sent");
        control.write("phase outage\n");
        control.flush();
        // The controller reads the line on its own thread: wait until it logged the new phase.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && !log.toString().contains("phase outage")) {
            Thread.sleep(20);
        }
        assertTrue(log.toString().contains("phase outage"), log.toString());
        release.countDown();
        awaitHeartbeats(console, 1, Duration.ofSeconds(10));
        Thread.sleep(500);
        control.write("stop\n");
        control.close();
        return run.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void anUnwatchedConnectionWaitsForTheSensorsTurn() throws Exception {
        // Not all three: an unwatched sensor reports at its turn (a minute on), unless its first
        // heartbeat failed on a loaded machine and its retry happens to fall in the window.
        assertTrue(heartbeatsWithinAfterARestart(false, Duration.ofSeconds(3)) < 3);
    }

    /**
     * Three sensors at a 60 s interval report once; the console restarts; how many heartbeats the
     * restarted console has after {@code window} (at most: the count is awaited up to 3).
     */
    private int heartbeatsWithinAfterARestart(boolean watch, Duration window) throws Exception {
        SimulatorOptions options = SimulatorOptions.builder(3).connectionStrings(connectionStrings(3)).intervalSeconds(60)
                .timing(Duration.ZERO, Duration.ZERO, Duration.ofMinutes(2)).controlInput(true)
                .watchConnection(watch).build();
        java.io.PipedWriter control = new java.io.PipedWriter();
        java.io.PipedReader input = new java.io.PipedReader(control);
        FleetSimulator simulator = new FleetSimulator(options, SensorBehaviour.HEALTHY,
                new PrintWriter(new StringWriter()), input);
        java.util.concurrent.Future<SimulationReport> run = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()
                .submit(simulator::run);
        try {
            awaitHeartbeats(console, 3, Duration.ofSeconds(20));
            console = console.restart();
            long deadline = System.nanoTime() + window.toNanos();
            while (console.exchanges(AgentPaths.HEARTBEAT).size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            return console.exchanges(AgentPaths.HEARTBEAT).size();
        } finally {
            control.write("stop\n");
            control.close();
            run.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static void awaitHeartbeats(FakeConsole at, int count, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (at.exchanges(AgentPaths.HEARTBEAT).size() < count) {
            assertTrue(System.nanoTime() < deadline, count + " heartbeats did not come within " + within);
            Thread.sleep(20);
        }
    }
}
