package io.sensorfleet.agent.update;

import io.sensorfleet.agent.testing.TestPackages;
import io.sensorfleet.protocol.v1.update.UpdateProgress;
import io.sensorfleet.protocol.v1.update.UpdateStage;
import io.sensorfleet.protocol.v1.update.UpdateTask;
import io.sensorfleet.lib.packages.PackageSignature;
import io.sensorfleet.lib.packages.UpdateManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstallerTest {
    @TempDir
    Path tmp;

    private Path pkg(String version, String healthcheck, KeyPair key) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("payload-" + version + "-" + UUID.randomUUID()));
        Path script = dir.resolve("healthcheck");
        Files.writeString(script, "#!/bin/sh\n" + healthcheck + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("bin/sensor"), "the sensor of " + version);
        Path out = tmp.resolve(version + "-" + UUID.randomUUID() + ".pkg");
        TestPackages.build(dir, version, List.of("1.0.0", "1.1.0"), 5, key.getPrivate(), out);
        return out;
    }

    private static UpdateTask task(Path pkg, String version, KeyPair key) throws Exception {
        return new UpdateTask(UUID.randomUUID(), UUID.randomUUID(), version, Files.size(pkg), PackageDownload.sha256(pkg),
                List.of(PackageSignature.pem(key.getPublic())), 900, null);
    }

    private UpdateManifest verify(Path pkg, UpdateTask task, Path state) throws Exception {
        return PackageCheck.verify(pkg, tmp.resolve("payload.tar"), task.version(), "1.0.0", ring(task, state));
    }

    /** The sensor pins the key the test signs with (the task names it too, as a console would). */
    private VendorKeyRing ring(UpdateTask task, Path state) throws Exception {
        Path pinned = tmp.resolve("pinned-" + UUID.randomUUID() + ".pem");
        Files.writeString(pinned, task.trustedKeys().getFirst());
        return new VendorKeyRing(pinned, state);
    }

    @Test
    void aHealthyVersionBecomesCurrentAndIsReported() throws Exception {
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path state = tmp.resolve("state");
        Path pkg = pkg("1.1.0", "echo fine; exit 0", key);
        UpdateTask task = task(pkg, "1.1.0", key);
        UpdateManifest m = verify(pkg, task, state);
        List<UpdateStage> stages = new ArrayList<>();
        Installer.Outcome o = new Installer(state).install(task.taskId(), tmp.resolve("payload.tar"), m, "1.0.0", stages::add);
        assertEquals(UpdateStage.SUCCEEDED, o.stage(), o.detail());
        assertEquals(List.of(UpdateStage.INSTALLING, UpdateStage.VALIDATING), stages);
        assertEquals("1.1.0", InstalledVersions.running(state, "1.0.0"));
        assertEquals("the sensor of 1.1.0", Files.readString(state.resolve("versions/current/bin/sensor")));
        assertTrue(o.log().contains("fine"));

        // The next update keeps the version it replaces (to go back to) and drops the one before.
        Path next = pkg("1.2.0", "exit 0", key);
        UpdateTask second = task(next, "1.2.0", key);
        UpdateManifest m2 = PackageCheck.verify(next, tmp.resolve("payload2.tar"), second.version(), "1.1.0",
                ring(second, state));
        assertEquals(UpdateStage.SUCCEEDED, new Installer(state).install(second.taskId(), tmp.resolve("payload2.tar"),
                m2, "1.1.0", s -> { }).stage());
        assertTrue(Files.isDirectory(state.resolve("versions/1.1.0")));
        assertTrue(Files.notExists(state.resolve("versions/1.0.0")));
    }

    @Test
    void aFailingHealthCheckSwitchesBackAndKeepsItsOutput() throws Exception {
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path state = tmp.resolve("state");
        Path pkg = pkg("1.1.0", "echo database schema mismatch >&2; exit 3", key);
        UpdateTask task = task(pkg, "1.1.0", key);
        Installer.Outcome o = new Installer(state).install(task.taskId(), tmp.resolve("payload.tar"),
                verify(pkg, task, state), "1.0.0", s -> { });
        assertEquals(UpdateStage.ROLLED_BACK, o.stage());
        assertTrue(o.detail().contains("exited with 3"), o.detail());
        assertTrue(o.log().contains("database schema mismatch"), o.log());
        assertEquals("1.0.0", InstalledVersions.running(state, "x"));
    }

    @Test
    void anInterruptedSwitchIsRevertedAtTheNextStartAndReported() throws Exception {
        Path state = tmp.resolve("state");
        InstalledVersions versions = new InstalledVersions(state);
        versions.ensureInstalled("1.0.0");
        Files.createDirectories(versions.dir("1.1.0"));
        UUID taskId = UUID.randomUUID();
        new UpdateJournal(taskId, "1.0.0", "1.1.0", "VALIDATING").write(state.resolve(UpdateLoop.UPDATES));
        versions.switchTo("1.1.0");

        UpdateProgress report = new Installer(state).recover().orElseThrow();
        assertEquals(UpdateStage.ROLLED_BACK, report.stage());
        assertEquals(taskId, report.taskId());
        assertEquals("1.0.0", InstalledVersions.running(state, "x"));
        assertTrue(new Installer(state).recover().isEmpty(), "settled once");
    }

    @Test
    void aPackageSignedWithAnotherKeyIsRefusedBeforeAnythingIsInstalled() throws Exception {
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path state = tmp.resolve("state");
        Path pkg = pkg("1.1.0", "exit 0", other);
        UpdateException e = assertThrows(UpdateException.class, () -> verify(pkg, task(pkg, "1.1.0", key), state));
        assertTrue(e.getMessage().contains("package-unknown-key"), e.getMessage());
        assertTrue(Files.notExists(state.resolve("versions")));
    }
}
