package io.sensorfleet.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The software version the sensor runs now: what {@code <state>/versions/current} names after an
 * in-place update, else the version the daemon started with. Read at each use, never cached: an
 * update (or its rollback) switches the link while the daemon keeps running, and backups, their
 * manifests and the restore check must carry the version in force at that moment.
 */
public final class RunningVersion {
    /** Where installed versions live, relative to the state dir; {@code current} names the running one. */
    public static final String VERSIONS = "versions";
    public static final String CURRENT = "current";

    private RunningVersion() {
    }

    public static String of(AgentConfig config) {
        return at(config.stateDir(), config.softwareVersion());
    }

    /** What {@code versions/current} names, else {@code fallback} (never updated yet). */
    public static String at(Path stateDir, String fallback) {
        Path link = stateDir.resolve(VERSIONS).resolve(CURRENT);
        try {
            return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).getFileName().toString() : fallback;
        } catch (IOException e) {
            return fallback;
        }
    }
}
