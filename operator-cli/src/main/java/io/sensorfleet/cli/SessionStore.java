package io.sensorfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The login file, {@code session.json} in $XDG_CONFIG_HOME/sensorfleet (else ~/.config/sensorfleet).
 * It holds a bearer token, so the directory is 0700 and the file is created 0600 before a byte
 * of the token is written into it (never written with default permissions and narrowed afterwards).
 */
public final class SessionStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    public SessionStore(Path dir) {
        this.dir = dir;
    }

    public static SessionStore fromEnvironment(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base;
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            base = Path.of(xdg);
        } else {
            String home = env.getOrDefault("HOME", System.getProperty("user.home"));
            base = Path.of(home, ".config");
        }
        return new SessionStore(base.resolve("sensorfleet"));
    }

    public Path file() {
        return dir.resolve("session.json");
    }

    public Optional<Session> load() {
        Path f = file();
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(f.toFile());
            String ca = text(n, "caFile");
            String expires = text(n, "expiresAt");
            return Optional.of(new Session(URI.create(n.path("console").asText()), text(n, "username"),
                    n.path("token").asText(), expires == null ? null : Instant.parse(expires),
                    ca == null ? null : Path.of(ca)));
        } catch (IOException | RuntimeException e) {
            throw CliException.notLoggedIn("cannot read " + f + " (" + e.getMessage() + "): run 'sensorfleet login' again");
        }
    }

    public void save(Session s) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        ObjectNode n = JSON.createObjectNode();
        n.put("console", s.console().toString());
        n.put("username", s.username());
        n.put("token", s.token());
        n.put("expiresAt", s.expiresAt() == null ? null : s.expiresAt().toString());
        n.put("caFile", s.caFile() == null ? null : s.caFile().toAbsolutePath().toString());
        Path tmp = dir.resolve("session.json.tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
             OutputStream os = Channels.newOutputStream(ch)) {
            JSON.writerWithDefaultPrettyPrinter().writeValue(os, n);
        }
        try {
            Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Removes the login; true when there was one. */
    public boolean delete() throws IOException {
        return Files.deleteIfExists(file());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
