package io.sensorfleet.agent.enrollment;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.client.AgentTls;
import io.sensorfleet.agent.client.CaMismatchException;
import io.sensorfleet.agent.client.ConsoleClientFactory;
import io.sensorfleet.agent.client.ConsoleException;
import io.sensorfleet.agent.identity.CsrFactory;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.agent.identity.Pem;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.testing.Agents;
import io.sensorfleet.agent.testing.FakeConsole;
import io.sensorfleet.agent.testing.MutableClock;
import io.sensorfleet.agent.testing.TestCa;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.enrollment.EnrollRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnrollerTest {
    private static TestCa consoleCa;
    private static TestCa otherCa;

    @TempDir
    Path tmp;
    private Path stateDir;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final List<Duration> slept = new ArrayList<>();
    private final List<FakeConsole> consoles = new ArrayList<>();

    @BeforeAll
    static void cas() {
        consoleCa = TestCa.create("SensorFleet Console CA");
        otherCa = TestCa.create("Impostor CA");
    }

    @BeforeEach
    void stateDirNotYetCreated() {
        stateDir = tmp.resolve("state");
    }

    @AfterEach
    void stopConsoles() {
        consoles.forEach(FakeConsole::close);
    }

    @Test
    void consoleWithAnotherCaFailsTheHandshakeBeforeAnyRequestReachesIt() {
        FakeConsole impostor = console(otherCa);
        ConnectionString pinnedToRealCa = ConnectionString.parse(impostor.connectionString(consoleCa));

        EnrollmentException e = assertThrows(EnrollmentException.class, () -> enroller().connect(pinnedToRealCa, false));

        assertEquals(0, impostor.exchanges().size(), "the token must never reach a console with another CA");
        CaMismatchException cause = assertInstanceOf(CaMismatchException.class, e.getCause());
        assertEquals(otherCa.fingerprint(), cause.presentedFingerprint());
        assertEquals("console at " + impostor.address() + " presented a CA whose fingerprint " + otherCa.fingerprint()
                + " differs from the connection string's " + consoleCa.fingerprint(), e.getMessage());
        assertTrue(new StateDir(stateDir).identity().isEmpty());
    }

    @Test
    void serverCertificateNotNamingTheAddressIsRefusedBecauseHostNamesAreVerified() {
        FakeConsole misnamed = consoles(FakeConsole.start(consoleCa, clock, "console.example"));

        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> enroller().connect(ConnectionString.parse(misnamed.connectionString()), false));

        assertEquals(0, misnamed.exchanges().size());
        assertTrue(e.getMessage().startsWith("TLS handshake with console at " + misnamed.address() + " failed"),
                e.getMessage());
    }

    @Test
    void enrollmentStoresIdentityAndOwnerOnlyKeyWithoutSendingIt() throws Exception {
        FakeConsole console = console(consoleCa);

        Identity identity = enroller().connect(ConnectionString.parse(console.connectionString()), false);

        assertEquals(FakeConsole.SENSOR_ID, identity.sensorId());
        assertEquals("Sensor One", identity.sensorName());
        assertEquals(List.of(console.address().toString()), identity.addresses());
        StateDir dir = new StateDir(stateDir);
        assertEquals(identity, dir.requireIdentity());
        Path key = stateDir.resolve(StateDir.KEY);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir)));

        PrivateKey privateKey = Pem.readPrivateKey(Files.readString(key));
        String sent = console.exchanges(AgentPaths.ENROLL).getFirst().body();
        assertFalse(sent.contains(Base64.getEncoder().encodeToString(privateKey.getEncoded()).substring(0, 40)));
        String scalar = HexFormat.of().formatHex(((ECPrivateKey) privateKey).getS().toByteArray());
        String csrHex = HexFormat.of().formatHex(TestCa.der(FakeConsole.read(sent, EnrollRequest.class).csrPem()));
        assertFalse(csrHex.contains(scalar.substring(scalar.length() - 32)), "the CSR must not carry the private key");
        EnrollRequest request = FakeConsole.read(sent, EnrollRequest.class);
        assertEquals("test-host", request.hostname());
        assertEquals("9.9.9", request.agentVersion());
    }

    @Test
    void enrollmentTriesTheNextAddressWhenTheFirstDoesNotAnswer() throws IOException {
        FakeConsole console = console(consoleCa);
        AgentAddress closed = closedPort();

        Identity identity = enroller().connect(
                ConnectionString.parse(console.connectionString(consoleCa, closed, console.address())), false);

        assertEquals(FakeConsole.SENSOR_ID, identity.sensorId());
        assertEquals(1, console.exchanges(AgentPaths.ENROLL).size());
        assertEquals(List.of(closed.toString(), console.address().toString()), identity.addresses());
    }

    @Test
    void tokenProblemEndsEnrollmentWithTheConsolesDetailAndNoOtherAddressIsTried() {
        FakeConsole first = console(consoleCa);
        FakeConsole second = console(consoleCa);
        first.on(AgentPaths.ENROLL, x -> FakeConsole.Reply.problem(409, "token-used", "this token was already used"));

        EnrollmentException e = assertThrows(EnrollmentException.class, () -> enroller().connect(
                ConnectionString.parse(first.connectionString(consoleCa, first.address(), second.address())), false));

        assertEquals(409, assertInstanceOf(ConsoleException.class, e.getCause()).status());
        assertEquals("console at " + first.address() + " answered 409 Problem 409: this token was already used",
                e.getMessage());
        assertEquals(0, second.exchanges().size());
        assertTrue(new StateDir(stateDir).identity().isEmpty());
    }

    @Test
    void certificateForAnotherKeyIsRefusedAndNothingIsStored() {
        FakeConsole console = console(consoleCa);
        console.on(AgentPaths.ENROLL, x -> FakeConsole.ok(console.issue(new CsrFactory().csrPem(TestCa.newKeyPair()))));

        EnrollmentException e = assertThrows(EnrollmentException.class,
                () -> enroller().connect(ConnectionString.parse(console.connectionString()), false));

        assertEquals("the console returned a certificate for another key than the one this sensor generated",
                e.getMessage());
        assertTrue(new StateDir(stateDir).identity().isEmpty());
        assertFalse(Files.exists(stateDir.resolve(StateDir.KEY)));
    }

    @Test
    void busyConsoleIsAskedAgainAfterItsRetryAfter() {
        FakeConsole console = console(consoleCa);
        AtomicInteger calls = new AtomicInteger();
        console.on(AgentPaths.ENROLL, x -> calls.incrementAndGet() == 1
                ? FakeConsole.Reply.problem(503, "busy", "enrollment queue full").withHeader("Retry-After", "2")
                : FakeConsole.ok(console.issue(FakeConsole.read(x.body(), EnrollRequest.class).csrPem())));

        Identity identity = enroller().connect(ConnectionString.parse(console.connectionString()), false);

        assertEquals(FakeConsole.SENSOR_ID, identity.sensorId());
        assertEquals(List.of(Duration.ofSeconds(2)), slept);
    }

    @Test
    void alreadyConnectedSensorIsRefusedWithoutContactingTheConsoleUnlessForced() {
        FakeConsole console = console(consoleCa);
        ConnectionString connection = ConnectionString.parse(console.connectionString());
        Identity first = enroller().connect(connection, false);

        assertThrows(AlreadyConnectedException.class, () -> enroller().connect(connection, false));
        assertEquals(1, console.exchanges().size());

        Identity replaced = enroller().connect(connection, true);
        assertEquals(2, console.exchanges().size());
        assertFalse(first.certificateNotAfter().isAfter(replaced.certificateNotAfter()));
    }

    @Test
    void forcedConnectRepairsADamagedStateDir() throws IOException {
        FakeConsole console = console(consoleCa);
        ConnectionString connection = ConnectionString.parse(console.connectionString());
        enroller().connect(connection, false);
        Files.writeString(stateDir.resolve(StateDir.IDENTITY), "{damaged");

        Identity repaired = enroller().connect(connection, true);

        assertEquals(repaired, new StateDir(stateDir).requireIdentity());
    }

    private Enroller enroller() {
        AgentConfig config = Agents.config(stateDir, clock);
        return new Enroller(config, new StateDir(stateDir), new AgentTls(), new CsrFactory(),
                ConsoleClientFactory.standard(config.requestTimeout()), slept::add, AgentLog.discard());
    }

    private FakeConsole console(TestCa ca) {
        return consoles(FakeConsole.start(ca, clock));
    }

    private FakeConsole consoles(FakeConsole console) {
        consoles.add(console);
        return console;
    }

    /** A loopback port nobody listens on. */
    static AgentAddress closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return new AgentAddress("127.0.0.1", socket.getLocalPort());
        }
    }
}
