package io.sensorfleet.agent.appliance;

import io.sensorfleet.lib.json.Json;
import io.sensorfleet.agent.AgentJson;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The network change on trial, written to disk (and flushed) before the change is made: if the
 * agent or the machine stops before the console was reached again, the next start finds it and
 * reverts, so even a crash never leaves the sensor on an untested network configuration.
 */
public final class TrialJournal {
    static final String FILE = "network-trial.json";

    /**
     * One open trial.
     *
     * @param revision       the settings revision being tried
     * @param keys           the network keys it changes
     * @param previous       what to restore
     * @param deadline       when the console must have been reached
     * @param console        the console address the trial must reach, for the reason text
     * @param confirmSeconds the confirmation time, for the reason text
     */
    public record Pending(long revision, List<String> keys, NetworkSnapshot previous, Instant deadline, String console,
                          long confirmSeconds) {
    }

    private final Path file;
    private final Json json = AgentJson.mapper();

    public TrialJournal(Path stateDir) {
        this.file = stateDir.resolve(FILE);
    }

    public void begin(Pending pending) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(json.writeValueAsBytes(pending)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems refuse to sync a directory; the rename is still atomic.
        }
    }

    /** The open trial, if the agent stopped during one. An unreadable journal is reported, not ignored. */
    public Optional<Pending> open() throws IOException {
        try {
            return Optional.of(json.readValue(Files.readAllBytes(file), Pending.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    public void close() throws IOException {
        Files.deleteIfExists(file);
    }
}
