package io.sensorfleet.agent.activation;

import io.sensorfleet.lib.json.Json;
import io.sensorfleet.agent.AgentException;
import io.sensorfleet.agent.AgentJson;
import io.sensorfleet.protocol.v1.activation.ActivationState;
import io.sensorfleet.lib.activation.ActivationClaims;
import io.sensorfleet.lib.activation.ActivationException;
import io.sensorfleet.lib.activation.ActivationFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <state-dir>/activation/}: the installed file ({@code current.jws}) and the console's
 * trusted activation keys ({@code trusted-keys.json}), kept so files verify offline.
 */
public final class ActivationStore {
    private final Path dir;
    private final Json json = AgentJson.mapper();

    public ActivationStore(Path stateDir) {
        this.dir = stateDir.resolve("activation");
    }

    /** The installed file's content, verified again with the keys on disk; empty when none is installed. */
    public Optional<ActivationClaims> current(String sensorId) {
        Path file = dir.resolve("current.jws");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ActivationFile.verify(Files.readString(file), trustedKeys(), sensorId));
        } catch (IOException | ActivationException e) {
            return Optional.empty();
        }
    }

    public Optional<ActivationState> state(String sensorId) {
        return current(sensorId).map(c -> new ActivationState(c.fileId(), c.mode().name(), c.sensorName(), c.expiresAt()));
    }

    public Map<String, PublicKey> trustedKeys() {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        Path file = dir.resolve("trusted-keys.json");
        if (!Files.exists(file)) {
            return keys;
        }
        try {
            for (var e : ((Map<?, ?>) json.readValue(Files.readString(file), Json.mapOf(String.class))).entrySet()) {
                keys.put((String) e.getKey(), KeyFactory.getInstance("EC")
                        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode((String) e.getValue()))));
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new AgentException("cannot read " + file + ": " + e.getMessage());
        }
        return keys;
    }

    public void saveTrustedKeys(Map<String, String> base64Keys) {
        write("trusted-keys.json", () -> json.writeValueAsString(base64Keys));
    }

    /** Installs the file as the current one, atomically: a crash leaves the old file or the new one. */
    public void install(String content) {
        write("current.jws", () -> content.strip() + "\n");
    }

    private interface Content {
        String get() throws IOException;
    }

    private void write(String name, Content content) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
            Files.writeString(tmp, content.get());
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new AgentException("cannot write " + dir.resolve(name) + ": " + e.getMessage());
        }
    }
}
