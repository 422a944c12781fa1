package io.sensorfleet.agent.backup;

import io.sensorfleet.agent.AgentJson;
import io.sensorfleet.lib.backup.SealedSecrets;
import io.sensorfleet.protocol.v1.backup.SealingKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.util.Optional;

/**
 * The console's backup sealing key, as its last BACKUP task carried it, kept in
 * {@value #NAME} at the top of the state directory (beside the identity, so a backup neither holds
 * nor restores it). Every backup taken while it is there — the daily one too — has its secrets
 * sealed to it. A sensor that never got one (never asked for a backup by a console that seals)
 * keeps its secrets in clear in its local backups; the console seals them when such a backup arrives.
 */
public final class SealingKeyFile {
    static final String NAME = "backup-sealing-key.json";

    /** A key that can be used: its id and the public key itself. */
    public record Usable(String keyId, PublicKey key) {
    }

    private final Path file;

    public SealingKeyFile(Path stateDir) {
        this.file = stateDir.resolve(NAME);
    }

    /** Keeps the key a task carried, when it is one this agent can use and differs from the one kept. */
    public void remember(SealingKey key) throws IOException {
        if (key == null || !SealedSecrets.ALGORITHM.equals(key.algorithm()) || usable(key).isEmpty()) {
            return;
        }
        if (read().map(k -> k.keyId().equals(key.keyId())).orElse(false)) {
            return;
        }
        Path tmp = file.resolveSibling("." + NAME + ".tmp");
        Files.write(tmp, AgentJson.mapper().writeValueAsBytes(key));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The key kept, if any and readable. */
    public Optional<Usable> read() {
        try {
            return usable(AgentJson.mapper().readValue(Files.readAllBytes(file), SealingKey.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Usable> usable(SealingKey k) {
        try {
            PublicKey key = SealedSecrets.publicKey(k.publicKey());
            // The id is recomputed, not trusted: it is what the console will look for.
            if (!SealedSecrets.keyId(key).equals(k.keyId())) {
                return Optional.empty();
            }
            return Optional.of(new Usable(k.keyId(), key));
        } catch (SealedSecrets.RefusedException e) {
            return Optional.empty();
        }
    }
}
