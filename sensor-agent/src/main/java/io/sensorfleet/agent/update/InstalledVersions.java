package io.sensorfleet.agent.update;

import io.sensorfleet.agent.RunningVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The software versions installed on the sensor: one directory per version under
 * {@code <state>/versions/}, and {@code versions/current}, a symbolic link naming the one that runs.
 * The link is replaced in one rename, so at any instant it names either the old or the new version.
 * <p>
 * A version that carries an agent build ({@value #AGENT_JAR}) is run by the launcher, which always
 * starts {@code versions/current/}{@value #AGENT_JAR} (the jar of the package when the link names a
 * version without one): an update switches the link and hands over (see {@link HandOver}).
 */
public final class InstalledVersions {
    public static final String VERSIONS = RunningVersion.VERSIONS;
    static final String CURRENT = RunningVersion.CURRENT;
    static final String VERSION_FILE = "VERSION";
    /** The agent build a version carries at its top, the jar the launcher runs. */
    public static final String AGENT_JAR = "sensor-agent.jar";
    /** Health check configuration a version may ship, used when the operator configured none. */
    public static final String HEALTH_DEFAULTS = "agent-health.properties";

    private final Path root;

    public InstalledVersions(Path stateDir) {
        this.root = stateDir.resolve(VERSIONS);
    }

    /** The version the sensor runs: what {@code versions/current} names, else {@code fallback} (never updated yet). */
    public static String running(Path stateDir, String fallback) {
        return RunningVersion.at(stateDir, fallback);
    }

    public Optional<String> current() {
        Path link = root.resolve(CURRENT);
        try {
            return Files.isSymbolicLink(link) ? Optional.of(Files.readSymbolicLink(link).getFileName().toString())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public Path dir(String version) {
        return root.resolve(version);
    }

    /** Makes sure the version that ran before the first update has a directory to switch back to. */
    void ensureInstalled(String version) throws IOException {
        Path dir = dir(version);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(VERSION_FILE), version + "\n");
        }
    }

    /** Points {@code current} at {@code version}, atomically. */
    void switchTo(String version) throws IOException {
        if (!Files.isDirectory(dir(version))) {
            throw new IOException("version " + version + " is not installed in " + root);
        }
        Path tmp = root.resolve(".current-" + version);
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, Path.of(version));
        Files.move(tmp, root.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Durable.sync(root);
    }

    /** Removes every version directory but these two (the running one and the one to go back to). */
    void keepOnly(String current, String previous) throws IOException {
        try (var dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                String name = d.getFileName().toString();
                if (Files.isDirectory(d, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !name.startsWith(".")
                        && !name.equals(current) && !name.equals(previous)) {
                    deleteTree(d);
                }
            }
        }
    }

    Path root() {
        return root;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
