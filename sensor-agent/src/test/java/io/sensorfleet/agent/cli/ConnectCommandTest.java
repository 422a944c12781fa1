package io.sensorfleet.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorfleet.agent.testing.ConsoleJson;
import io.sensorfleet.agent.testing.Agents;
import io.sensorfleet.agent.testing.FakeConsole;
import io.sensorfleet.agent.testing.MutableClock;
import io.sensorfleet.agent.testing.TestCa;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectCommandTest {
    private static TestCa ca;

    @TempDir
    Path tmp;

    private Path stateDir;
    private final MutableClock clock = new MutableClock(Instant.now());
    private FakeConsole console;

    @BeforeAll
    static void consoleCa() {
        ca = TestCa.create("Console CA");
    }

    @BeforeEach
    void startConsole() {
        stateDir = tmp.resolve("state");
        console = FakeConsole.start(ca, clock);
    }

    @AfterEach
    void stopConsole() {
        console.close();
    }

    static Stream<String> malformedConnectionStrings() {
        String valid = new ConnectionString(List.of(new AgentAddress("127.0.0.1", 9443)), FakeConsole.TOKEN,
                "ab".repeat(32)).encode();
        return Stream.of(
                "garbage",
                "",
                "sf1.onlyonepart",
                valid.substring(0, valid.length() - 12),
                valid.substring(0, valid.length() - 1) + (valid.endsWith("0") ? "1" : "0"));
    }

    @ParameterizedTest
    @MethodSource("malformedConnectionStrings")
    void malformedConnectionStringIsOneLineErrorAndNothingIsWrittenOrSent(String malformed) {
        CliRun run = run("connect", "--state-dir", stateDir.toString(), malformed);

        assertEquals(AgentCli.INVALID_INPUT, run.exitCode());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().startsWith("error: invalid connection string: "), run.err());
        assertEquals("", run.out());
        assertFalse(Files.exists(stateDir));
        assertEquals(0, console.exchanges().size());
    }

    @Test
    void connectPrintsTheSensorIdAndName() {
        CliRun run = run("connect", "--state-dir", stateDir.toString(), console.connectionString());

        assertEquals(AgentCli.OK, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("connected as Sensor One (sensor id sensor-1)\n"), run.out());
        assertEquals("", run.err());
        assertTrue(Files.exists(stateDir.resolve("agent.json")));
    }

    @Test
    void connectWithJsonPrintsTheIdentity() throws Exception {
        CliRun run = run("connect", "--json", "--state-dir", stateDir.toString(), console.connectionString());

        assertEquals(AgentCli.OK, run.exitCode(), run.err());
        JsonNode json = ConsoleJson.mapper().readTree(run.out());
        assertEquals("sensor-1", json.get("sensorId").asText());
        assertEquals("Sensor One", json.get("sensorName").asText());
        assertEquals(console.address().toString(), json.get("addresses").get(0).asText());
        assertEquals(stateDir.toString(), json.get("stateDir").asText());
    }

    @Test
    void secondConnectIsRefusedUnlessForced() {
        run("connect", "--state-dir", stateDir.toString(), console.connectionString());

        CliRun refused = run("connect", "--state-dir", stateDir.toString(), console.connectionString());

        assertEquals(AgentCli.FAILED, refused.exitCode());
        assertEquals(List.of("error: already connected as Sensor One (sensor id sensor-1) to " + console.address()
                + "; use --force to replace this identity"), refused.errLines());
        assertEquals(1, console.exchanges(AgentPaths.ENROLL).size());

        CliRun forced = run("connect", "--force", "--state-dir", stateDir.toString(), console.connectionString());

        assertEquals(AgentCli.OK, forced.exitCode(), forced.err());
        assertEquals(2, console.exchanges(AgentPaths.ENROLL).size());
    }

    @Test
    void consoleWithAnotherCaIsOneLineErrorNamingBothFingerprints() {
        TestCa otherCa = TestCa.create("Other CA");
        try (FakeConsole impostor = FakeConsole.start(otherCa, clock)) {
            CliRun run = run("connect", "--state-dir", stateDir.toString(), impostor.connectionString(ca));

            assertEquals(AgentCli.FAILED, run.exitCode());
            assertEquals(List.of("error: console at " + impostor.address() + " presented a CA whose fingerprint "
                    + otherCa.fingerprint() + " differs from the connection string's " + ca.fingerprint()), run.errLines());
            assertEquals(0, impostor.exchanges().size());
            assertFalse(Files.exists(stateDir.resolve("agent.json")));
        }
    }

    @Test
    void rejectedTokenIsOneLineErrorWithTheConsolesReason() {
        console.on(AgentPaths.ENROLL, x -> FakeConsole.Reply.problem(401, "token-expired", "the token expired at 09:00"));

        CliRun run = run("connect", "--state-dir", stateDir.toString(), console.connectionString());

        assertEquals(AgentCli.FAILED, run.exitCode());
        assertEquals(List.of("error: console at " + console.address() + " answered 401 Problem 401: the token expired at 09:00"),
                run.errLines());
    }

    private CliRun run(String... args) {
        return CliRun.of(Agents.config(stateDir, clock), args);
    }
}
