package io.sensorfleet.agent.update;

import io.sensorfleet.agent.AgentJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/**
 * What an installation in progress is doing, written before the {@code current} link changes and
 * removed once the outcome is settled. Found at start, it means the agent stopped in the middle:
 * the switch is reverted (the new version was never validated) and the outcome is reported.
 *
 * @param phase SWITCHING (the link may name either version) or VALIDATING (it names the new one)
 */
public record UpdateJournal(UUID taskId, String from, String to, String phase) {
    static final String FILE = "journal.json";

    static Optional<UpdateJournal> read(Path updatesDir) {
        Path f = updatesDir.resolve(FILE);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(AgentJson.mapper().readValue(f.toFile(), UpdateJournal.class));
        } catch (IOException e) {
            // A torn journal means the write before the switch did not finish: the link was not touched.
            return Optional.of(new UpdateJournal(null, null, null, "UNREADABLE"));
        }
    }

    void write(Path updatesDir) throws IOException {
        Files.createDirectories(updatesDir);
        Path tmp = updatesDir.resolve(FILE + ".tmp");
        Files.write(tmp, AgentJson.mapper().writeValueAsBytes(this));
        Files.move(tmp, updatesDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    UpdateJournal phase(String next) {
        return new UpdateJournal(taskId, from, to, next);
    }

    static void clear(Path updatesDir) throws IOException {
        Files.deleteIfExists(updatesDir.resolve(FILE));
    }
}
