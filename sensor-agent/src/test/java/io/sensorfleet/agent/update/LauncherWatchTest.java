package io.sensorfleet.agent.update;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's watcher (sensor-agent/bin/sensor-agent) on its own: the real script, with a
 * stand-in for java that runs each version's "jar" as a shell script, so each rule of the watch is
 * shown in seconds. Versions here behave as told: one that heartbeats, one that never does, one
 * that exits at once. (The real agent under the real launcher: AgentHandoverIT.)
 */
class LauncherWatchTest {
    private static final Path LAUNCHER = Path.of("bin/sensor-agent").toAbsolutePath();

    @TempDir
    Path tmp;

    private final List<Process> launchers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : launchers) {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy();
            p.waitFor();
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private Path state() {
        return tmp.resolve("state");
    }

    private Path updates() {
        return state().resolve(UpdateLoop.UPDATES);
    }

    /** A java stand-in: answers -version like a Java 21, runs the jar it is given as a shell script. */
    private Path fakeJava() throws IOException {
        Path java = Files.createDirectories(tmp.resolve("jdk/bin")).resolve("java");
        Files.writeString(java, """
                #!/bin/bash
                if [ "$1" = -version ]; then echo 'openjdk version "21.0.2"' >&2; exit 0; fi
                while [ $# -gt 0 ] && [ "$1" != -jar ]; do shift; done
                jar=$2; shift 2
                exec bash "$jar" "$@"
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    /** Installs {@code version} whose agent build runs {@code body} (after recording that it runs). */
    private void version(String version, String body) throws IOException {
        Path dir = Files.createDirectories(state().resolve("versions").resolve(version));
        Files.writeString(dir.resolve(InstalledVersions.AGENT_JAR), """
                state=$(dirname "$(dirname "$(dirname "$0")")")
                mkdir -p "$state/updates"
                echo $$ > "$state/updates/agent.pid"
                echo %s >> "$state/../starts.log"
                trap 'exit 143' TERM
                %s
                """.formatted(version, body));
    }

    private static final String HEARTBEATS = "sleep 0.5; date +%s > \"$state/updates/watch-heartbeat\"; echo OK > \"$state/updates/watch-health\"; while :; do sleep 0.2; done";
    private static final String SILENT = "while :; do sleep 0.2; done";
    private static final String UNHEALTHY = "sleep 0.5; date +%s > \"$state/updates/watch-heartbeat\"; echo 'FAILED process:engine' > \"$state/updates/watch-health\"; while :; do sleep 0.2; done";

    /** The journal as the old version leaves it at the hand-over: WATCHING, link on the new version. */
    private void handedOver(long window, boolean heartbeats) throws IOException {
        HandOver.watching(UUID.randomUUID(), "1.0.0", "1.1.0", Duration.ofSeconds(window),
                        heartbeats ? Duration.ofSeconds(120) : null, false)
                .write(updates());
        new InstalledVersions(state()).switchTo("1.1.0");
    }

    private Process launch() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "run", "--state-dir", state().toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("launcher.log").toFile());
        pb.environment().put("SENSORFLEET_JAVA", fakeJava().toString());
        pb.environment().put("SENSORFLEET_JVM_OPTIONS", "-Xmx32m");
        pb.environment().put("SENSORFLEET_AGENT_JAR", tmp.resolve("package.jar").toString());
        pb.environment().put("SENSORFLEET_WATCH_POLL_SECONDS", "0.2");
        pb.environment().put("SENSORFLEET_RESTART_SECONDS", "0.2");
        pb.environment().remove("INVOCATION_ID");
        Files.writeString(tmp.resolve("package.jar"), "echo the package jar ran >> \"$(dirname \"$0\")/starts.log\"; sleep 60");
        Process p = pb.start();
        launchers.add(p);
        return p;
    }

    private String phase() {
        return UpdateJournal.read(updates()).map(UpdateJournal::phase).orElse("none");
    }

    private String log() throws IOException {
        return Files.readString(tmp.resolve("launcher.log"));
    }

    private void await(BooleanSupplier condition, String what) throws Exception {
        Instant until = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("not within 30 s: " + what + "; launcher log:\n" + log());
            }
            Thread.sleep(100);
        }
    }

    private List<String> starts() {
        Path f = tmp.resolve("starts.log");
        try {
            return Files.exists(f) ? Files.readAllLines(f) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aNewerPackageWinsOverTheAgentBuildAnOlderUpdateInstalled() throws Exception {
        version("1.1.0", HEARTBEATS);
        new InstalledVersions(state()).switchTo("1.1.0");
        Files.writeString(tmp.resolve("sensor-agent.version"), "1.10.0\n");

        launch();

        await(() -> starts().contains("the package jar ran"), "the package's agent started");
        assertEquals(List.of("the package jar ran"), starts());
        assertTrue(!Files.exists(state().resolve("versions/current"), java.nio.file.LinkOption.NOFOLLOW_LINKS),
                "the link to the older update is gone, so the agent reports the package's version");
        assertTrue(Files.isDirectory(state().resolve("versions/1.1.0")), "installed versions stay on disk");
    }

    @Test
    void anOlderPackageLeavesTheNewerUpdateRunning() throws Exception {
        version("1.1.0", HEARTBEATS);
        new InstalledVersions(state()).switchTo("1.1.0");
        Files.writeString(tmp.resolve("sensor-agent.version"), "1.0.9\n");

        launch();

        await(() -> starts().contains("1.1.0"), "the update's agent started");
        assertEquals(List.of("1.1.0"), starts());
        assertEquals("1.1.0", InstalledVersions.running(state(), "x"));
    }

    @Test
    void aVersionThatHeartbeatsAndStaysHealthyPassesAtTheEndOfTheWindow() throws Exception {
        version("1.0.0", SILENT);
        version("1.1.0", HEARTBEATS);
        handedOver(2, true);

        launch();

        await(() -> phase().equals("PASSED"), "PASSED");
        assertEquals("1.1.0", InstalledVersions.running(state(), "x"));
        assertEquals(List.of("1.1.0"), starts(), "started once, from its own directory");
    }

    @Test
    void aVersionWithoutAHeartbeatInTimeIsRolledBackAndThePreviousOneStarted() throws Exception {
        version("1.0.0", SILENT);
        version("1.1.0", SILENT);
        handedOver(30, true);
        UpdateJournal j = UpdateJournal.read(updates()).orElseThrow();
        new UpdateJournal(j.taskId(), j.from(), j.to(), j.phase(), j.window(), 1, 0, 0, j.maxStarts(), null, false)
                .write(updates());

        launch();

        await(() -> phase().equals("ROLLED_BACK"), "ROLLED_BACK");
        assertTrue(UpdateJournal.read(updates()).orElseThrow().reason()
                .contains("version 1.1.0 sent no successful heartbeat within 1 s"), log());
        await(() -> starts().contains("1.0.0"), "the previous version started");
        assertEquals("1.0.0", InstalledVersions.running(state(), "x"));
    }

    @Test
    void aVersionReportingFailedHealthIsRolledBackNamingTheCheck() throws Exception {
        version("1.0.0", SILENT);
        version("1.1.0", UNHEALTHY);
        handedOver(30, true);

        launch();

        await(() -> phase().equals("ROLLED_BACK"), "ROLLED_BACK");
        assertEquals("version 1.1.0 reported health FAILED: process:engine",
                UpdateJournal.read(updates()).orElseThrow().reason());
        await(() -> starts().contains("1.0.0"), "the previous version started");
    }

    @Test
    void aVersionThatExitsAtStartIsRolledBackAfterThreeStarts() throws Exception {
        version("1.0.0", SILENT);
        version("1.1.0", "exit 1");
        handedOver(30, false);

        launch();

        await(() -> starts().contains("1.0.0"), "the previous version started");
        assertEquals(List.of("1.1.0", "1.1.0", "1.1.0", "1.0.0"), starts());
        assertEquals("version 1.1.0 exited 3 times within its watch window (last exit status 1)",
                UpdateJournal.read(updates()).orElseThrow().reason());
    }

    @Test
    void aRollbackCutOffBeforeItsSwitchIsFinishedByTheNextLauncher() throws Exception {
        version("1.0.0", SILENT);
        version("1.1.0", HEARTBEATS);
        handedOver(30, true);
        // The launcher wrote its verdict, then the power went: the link still names the new version.
        UpdateJournal.read(updates()).orElseThrow().phase("ROLLED_BACK").write(updates());

        launch();

        await(() -> starts().contains("1.0.0"), "the previous version started");
        assertEquals(List.of("1.0.0"), starts(), "the new version is never started again");
        assertEquals("1.0.0", InstalledVersions.running(state(), "x"));
    }

    @Test
    void aHandOverExitRestartsIntoTheLinkedVersionAndAVersionWithoutAgentBuildRunsThePackageJar() throws Exception {
        version("1.1.0", "exit 75");
        Files.createDirectories(state().resolve("versions/1.0.0"));
        new InstalledVersions(state()).switchTo("1.1.0");
        // 1.1.0 hands over (75) to whatever the link names next: here a version without an agent build.
        Files.writeString(state().resolve("versions/1.1.0").resolve(InstalledVersions.AGENT_JAR),
                Files.readString(state().resolve("versions/1.1.0").resolve(InstalledVersions.AGENT_JAR))
                        .replace("exit 75", "ln -sfn 1.0.0 \"$state/versions/current\"; exit 75"));

        launch();

        await(() -> starts().contains("the package jar ran"), "the package jar started");
        assertEquals(List.of("1.1.0", "the package jar ran"), starts());
    }
}
