package io.sensorfleet.agent.update;

import io.sensorfleet.agent.testing.TestPackages;
import io.sensorfleet.lib.packages.PackageSignature;
import io.sensorfleet.lib.packages.UpdateManifest;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.HealthCheck;
import io.sensorfleet.protocol.v1.update.UpdateStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandOverTest {
    @TempDir
    Path tmp;

    private final KeyPair vendor = ed25519();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);

    private Path state() {
        return tmp.resolve("state");
    }

    private Path updates() {
        return state().resolve(UpdateLoop.UPDATES);
    }

    private VendorKeyRing ring() throws Exception {
        Path pinned = tmp.resolve("vendor-keys.pem");
        Files.writeString(pinned, PackageSignature.pem(vendor.getPublic()));
        return new VendorKeyRing(pinned, state());
    }

    /** A package whose payload is an agent build (a file named like one is enough for the installer). */
    private Path agentPackage(String version, KeyPair key) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("payload-" + version + "-" + UUID.randomUUID()));
        Path script = dir.resolve("healthcheck");
        Files.writeString(script, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve(InstalledVersions.AGENT_JAR), "the agent build of " + version);
        Path out = tmp.resolve(version + "-" + UUID.randomUUID() + ".pkg");
        TestPackages.build(dir, version, List.of("1.0.0"), 5, key.getPrivate(), out);
        return out;
    }

    private Installer.Outcome handOver(UUID task) throws Exception {
        Path pkg = agentPackage("1.1.0", vendor);
        UpdateManifest m = PackageCheck.verify(pkg, tmp.resolve("payload.tar"), "1.1.0", "1.0.0", ring());
        return new Installer(state()).install(task, tmp.resolve("payload.tar"), m, "1.0.0", s -> { },
                new Installer.Watch(Duration.ofSeconds(42), Duration.ofSeconds(120), false));
    }

    @Test
    void anAgentBuildIsHandedOverBehindAWatchingJournalWrittenBeforeTheSwitch() throws Exception {
        UUID task = UUID.randomUUID();
        Installer.Outcome o = handOver(task);

        assertTrue(o.handedOver(), o.detail());
        assertEquals("1.1.0", InstalledVersions.running(state(), "x"));
        UpdateJournal j = UpdateJournal.read(updates()).orElseThrow();
        assertEquals("WATCHING", j.phase());
        assertEquals(task, j.taskId());
        assertEquals("1.0.0", j.from());
        assertEquals(42, j.window());
        assertEquals(42, j.heartbeatWithin(), "the first heartbeat is due within the window, at most 120 s");
        assertEquals(3, j.maxStarts());
        assertTrue(new Installer(state()).settle().isEmpty(), "the launcher watches: nothing to settle yet");
        assertTrue(Files.readString(updates().resolve(UpdateJournal.FILE)).contains("phase=WATCHING\n"),
                "one key=value per line, for the launcher");
    }

    @Test
    void aPassedWatchIsReportedAsSucceededWithTheNewVersion() throws Exception {
        UUID task = UUID.randomUUID();
        handOver(task);
        UpdateJournal.read(updates()).orElseThrow().phase("PASSED").write(updates());

        Installer.Settled s = new Installer(state()).settle().orElseThrow();

        assertEquals(UpdateStage.SUCCEEDED, s.report().stage());
        assertEquals("1.1.0", s.report().version());
        assertEquals(task, s.report().taskId());
        assertTrue(Files.notExists(updates().resolve(UpdateJournal.FILE)));
        assertEquals("SUCCEEDED", HandOver.outcome(updates(), task).orElseThrow().get("stage"));
    }

    @Test
    void aRollbackByTheWatcherIsReportedWithItsReasonAndTheLinkNamesTheOldVersion() throws Exception {
        UUID task = UUID.randomUUID();
        handOver(task);
        UpdateJournal j = UpdateJournal.read(updates()).orElseThrow();
        // The launcher wrote its verdict and was cut off before it switched the link back.
        new UpdateJournal(j.taskId(), j.from(), j.to(), "ROLLED_BACK", j.window(), j.heartbeatWithin(), 1, 1, 3,
                "version 1.1.0 reported health FAILED: process:engine", false).write(updates());

        Installer.Settled s = new Installer(state()).settle().orElseThrow();

        assertEquals(UpdateStage.ROLLED_BACK, s.report().stage());
        assertEquals("1.0.0", s.report().version());
        assertTrue(s.report().detail().contains("reported health FAILED: process:engine"), s.report().detail());
        assertEquals("1.0.0", InstalledVersions.running(state(), "x"));
    }

    @Test
    void aHandOverCutOffBeforeTheSwitchKeepsTheOldVersionAndSaysSo() throws Exception {
        UUID task = UUID.randomUUID();
        handOver(task);
        new InstalledVersions(state()).switchTo("1.0.0");

        Installer.Settled s = new Installer(state()).settle().orElseThrow();

        assertEquals(UpdateStage.ROLLED_BACK, s.report().stage());
        assertTrue(s.report().detail().contains("stopped before handing over to 1.1.0"), s.report().detail());
    }

    @Test
    void aPackageSignedByAKeyOnlyTheConsoleNamesIsRefused() throws Exception {
        KeyPair consoleOnly = ed25519();
        Path pkg = agentPackage("1.1.0", consoleOnly);

        UpdateException e = assertThrows(UpdateException.class,
                () -> PackageCheck.verify(pkg, tmp.resolve("payload.tar"), "1.1.0", "1.0.0", ring()));

        assertTrue(e.getMessage().contains("package-unknown-key"), e.getMessage());
        assertTrue(e.getMessage().contains("not among the trusted vendor keys"), e.getMessage());
        assertTrue(Files.notExists(state().resolve("versions")));
    }

    @Test
    void noPinnedKeysRefusesEveryPackageWithTheReason() throws Exception {
        Path pkg = agentPackage("1.1.0", vendor);
        VendorKeyRing none = new VendorKeyRing(tmp.resolve("missing.pem"), state());

        UpdateException e = assertThrows(UpdateException.class,
                () -> PackageCheck.verify(pkg, tmp.resolve("payload.tar"), "1.1.0", "1.0.0", none));

        assertTrue(e.getMessage().contains("no pinned vendor keys"), e.getMessage());
    }

    @Test
    void aWatchedVersionMarksItsFirstHeartbeatAndNamesItsFailedChecks() throws Exception {
        handOver(UUID.randomUUID());
        Health failed = new Health(Health.Status.FAILED, "engine down", List.of(
                new HealthCheck("disk:/", Health.Status.OK, "ok", "10"),
                new HealthCheck("process:engine", Health.Status.FAILED, "not running", "absent")));

        HandOver.heartbeatDelivered(state(), failed, clock);

        assertEquals(clock.instant().getEpochSecond() + "\n", Files.readString(updates().resolve(HandOver.HEARTBEAT_MARK)));
        assertEquals("FAILED process:engine\n", Files.readString(updates().resolve(HandOver.HEALTH_MARK)));
        HandOver.heartbeatDelivered(state(), Health.ok(), clock);
        assertEquals("OK\n", Files.readString(updates().resolve(HandOver.HEALTH_MARK)));
    }

    @Test
    void withoutAWatchNoMarkIsWritten() throws Exception {
        Files.createDirectories(updates());
        HandOver.heartbeatDelivered(state(), Health.ok(), clock);
        assertFalse(Files.exists(updates().resolve(HandOver.HEARTBEAT_MARK)));
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
