package io.sensorfleet.updatetools;

import io.sensorfleet.agent.update.HealthCheck;
import io.sensorfleet.agent.update.InstalledVersions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The payload of an agent update: the agent build ({@value InstalledVersions#AGENT_JAR}) with the
 * package's version stamped into it, so the version the package installs and the version the new
 * agent reports can never disagree, and a health check that the build is complete.
 */
public final class AgentPayload {
    /** The resource the agent reads its version from ({@code AgentVersion}). */
    static final String VERSION_RESOURCE = "io/sensorfleet/agent/version.properties";

    private AgentPayload() {
    }

    /** Writes the payload of {@code version} into {@code dir} (created) from the agent build {@code agentJar}. */
    public static Path write(Path agentJar, String version, Path dir) throws IOException {
        Files.createDirectories(dir);
        stamp(agentJar, version, dir.resolve(InstalledVersions.AGENT_JAR));
        Path check = dir.resolve(HealthCheck.SCRIPT);
        if (!Files.exists(check)) {
            Files.writeString(check, "#!/bin/sh\n# The agent build is complete: a readable, non-empty jar.\n"
                    + "test -s ./" + InstalledVersions.AGENT_JAR + " && echo \"agent build $SENSORFLEET_VERSION present\"\n");
            Files.setPosixFilePermissions(check, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(dir.resolve("VERSION"), version + "\n");
        return dir;
    }

    /** Copies {@code jar} to {@code out} with its version resource saying {@code version}. */
    static void stamp(Path jar, String version, Path out) throws IOException {
        boolean stamped = false;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals(VERSION_RESOURCE)) {
                    zip.write(("version=" + version + "\n").getBytes(StandardCharsets.ISO_8859_1));
                    stamped = true;
                } else {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
        if (!stamped) {
            Files.deleteIfExists(out);
            throw new IllegalArgumentException(jar + " is not an agent build: it has no " + VERSION_RESOURCE);
        }
    }
}
