package io.sensorfleet.agent.alerts;

import io.sensorfleet.lib.json.JsonException;
import io.sensorfleet.lib.json.Json;
import io.sensorfleet.agent.AgentException;
import io.sensorfleet.agent.AgentJson;
import io.sensorfleet.protocol.v1.alerts.AlertReport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Alerts waiting to reach the console, one file per alert in {@code <state-dir>/outbox/}
 * ({@code <alert id>.json}). A file is written to a temporary name, forced to disk and renamed, so
 * after a crash or power cut an alert is either fully queued or not at all. It is deleted only
 * after the console accepted it; the console drops a resent copy by its alert id. A file the
 * console refuses for good (invalid) moves to {@code outbox/rejected/} so it does not block the rest.
 */
public final class AlertOutbox {
    public static final String DIRECTORY = "outbox";
    public static final String REJECTED = "rejected";
    private static final String SUFFIX = ".json";
    private static final String TEMP_SUFFIX = ".tmp";

    /** A queued alert and its file. */
    public record Queued(Path file, AlertReport alert) {
    }

    private final Path dir;
    private final Json json = AgentJson.mapper();

    public AlertOutbox(Path stateDir) {
        this.dir = stateDir.toAbsolutePath().resolve(DIRECTORY);
    }

    public Path path() {
        return dir;
    }

    /** Queues one alert durably. */
    public void enqueue(AlertReport alert) {
        if (!AlertReport.ALERT_ID.matcher(alert.alertId()).matches()) {
            throw new IllegalArgumentException("alert id " + alert.alertId() + " does not match " + AlertReport.ALERT_ID);
        }
        try {
            createDirectories();
            Path target = dir.resolve(alert.alertId() + SUFFIX);
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Path temp = Files.createTempFile(dir, "." + alert.alertId() + ".", TEMP_SUFFIX, owner("rw-------"));
            try {
                try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer b = ByteBuffer.wrap(json.pretty().writeValueAsBytes(alert));
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    ch.force(true);
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            syncDirectory();
        } catch (IOException e) {
            throw new AgentException("cannot queue the alert in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Queued alerts, oldest first. An unreadable file is moved aside to {@code rejected/}. */
    public List<Queued> pending() {
        List<Queued> queued = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return queued;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                try {
                    queued.add(new Queued(f, json.readValue(Files.readAllBytes(f), AlertReport.class)));
                } catch (JsonException e) {
                    reject(f, "not a readable alert: " + e.getOriginalMessage());
                } catch (java.nio.file.NoSuchFileException e) {
                    // sent and removed meanwhile by another process
                }
            }
        } catch (IOException e) {
            throw new AgentException("cannot read the alert outbox " + dir + ": " + e.getMessage(), e);
        }
        queued.sort(Comparator.comparing((Queued q) -> q.alert().detectedAt(), Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(q -> q.file().getFileName().toString()));
        return queued;
    }

    public boolean isEmpty() {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            return !files.iterator().hasNext();
        } catch (IOException e) {
            return true;
        }
    }

    /** The console has it: forget it. */
    public void remove(Queued q) {
        try {
            Files.deleteIfExists(q.file());
        } catch (IOException e) {
            throw new AgentException("cannot remove " + q.file() + ": " + e.getMessage(), e);
        }
    }

    /** The console will never take it: keep it aside, with the reason, for an operator to look at. */
    public void reject(Queued q, String reason) {
        reject(q.file(), reason);
    }

    private void reject(Path file, String reason) {
        try {
            Path rejected = Files.createDirectories(dir.resolve(REJECTED));
            Path target = rejected.resolve(file.getFileName());
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(rejected.resolve(file.getFileName() + ".reason"), reason + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AgentException("cannot move " + file + " aside: " + e.getMessage(), e);
        }
    }

    private void createDirectories() throws IOException {
        Path stateDir = dir.getParent();
        if (!Files.isDirectory(stateDir)) {
            Files.createDirectories(stateDir, owner("rwx------"));
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, owner("rwx------"));
        }
    }

    private void syncDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not every file system syncs directories; the rename itself is atomic.
        }
    }

    private FileAttribute<?>[] owner(String permissions) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                : new FileAttribute<?>[0];
    }
}
