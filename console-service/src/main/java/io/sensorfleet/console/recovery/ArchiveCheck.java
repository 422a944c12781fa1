package io.sensorfleet.console.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.lib.tar.TarReader;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a whole backup archive once and checks it before a restore changes anything: the layout,
 * every name, every file's size and SHA-256 against the manifest, and the passphrase (by opening
 * the master key). A truncated, damaged or edited archive is refused here.
 */
final class ArchiveCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SMALL_LIMIT = 1 << 20;

    /** What a checked archive holds: the opened master key and the number of storage files. */
    record Checked(byte[] masterKey, int backupFiles, int updateFiles, String createdAt) {
    }

    private ArchiveCheck() {
    }

    static Checked check(Path archive, char[] passphrase) {
        if (!Files.isRegularFile(archive)) {
            throw new RecoveryException("no such archive: " + archive);
        }
        Map<String, String> seen = new LinkedHashMap<>();
        byte[] escrow = null;
        JsonNode manifest = null;
        int backups = 0;
        int updates = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
                if (manifest != null) {
                    throw new RecoveryException("the archive has entries after its manifest (not written by a console backup)");
                }
                if (e.isDirectory() && ArchiveLayout.isStorageName(e.name())) {
                    continue;
                }
                if (!e.isFile()) {
                    throw new RecoveryException("the archive holds an entry of a kind a backup never writes: " + e.name());
                }
                if (seen.containsKey(e.name())) {
                    throw new RecoveryException("the archive holds " + e.name() + " twice");
                }
                if (seen.isEmpty() && !e.name().equals(ArchiveLayout.ESCROW)) {
                    throw new RecoveryException("not a console backup archive (it does not start with the master key escrow)");
                }
                switch (e.name()) {
                    case ArchiveLayout.ESCROW -> {
                        escrow = small(tar, e);
                        seen.put(e.name(), hex(escrow) + ":" + escrow.length);
                    }
                    case ArchiveLayout.MANIFEST -> manifest = JSON.readTree(small(tar, e));
                    case ArchiveLayout.DATABASE -> seen.put(e.name(), hash(tar.content()) + ":" + e.size());
                    default -> {
                        if (!ArchiveLayout.isStorageName(e.name())) {
                            throw new RecoveryException("the archive holds a name a backup never writes: " + e.name());
                        }
                        seen.put(e.name(), hash(tar.content()) + ":" + e.size());
                        if (e.name().startsWith(ArchiveLayout.BACKUPS)) {
                            backups++;
                        } else {
                            updates++;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new RecoveryException("the archive is damaged or truncated: " + e.getMessage());
        }
        if (manifest == null || manifest.path("format").asInt() != ArchiveLayout.FORMAT) {
            throw new RecoveryException("the archive has no manifest of a known format (truncated?)");
        }
        if (!seen.containsKey(ArchiveLayout.DATABASE)) {
            throw new RecoveryException("the archive holds no database dump");
        }
        compare(seen, manifest.path("files"));
        return new Checked(MasterKeyEscrow.open(escrow, passphrase), backups, updates, manifest.path("createdAt").asText());
    }

    private static void compare(Map<String, String> seen, JsonNode files) {
        int listed = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); listed++) {
            Map.Entry<String, JsonNode> f = it.next();
            String actual = seen.get(f.getKey());
            String expected = f.getValue().path("sha256").asText() + ":" + f.getValue().path("size").asLong();
            if (!expected.equals(actual)) {
                throw new RecoveryException(actual == null ? "the archive lacks " + f.getKey() + " listed in its manifest"
                        : f.getKey() + " in the archive differs from its manifest (damaged or changed)");
            }
        }
        if (listed != seen.size()) {
            throw new RecoveryException("the archive holds files its manifest does not list");
        }
    }

    private static byte[] small(TarReader tar, TarReader.Entry e) throws IOException {
        if (e.size() > SMALL_LIMIT) {
            throw new RecoveryException(e.name() + " is too large for what it should be");
        }
        return tar.content().readAllBytes();
    }

    private static String hash(InputStream content) throws IOException {
        MessageDigest d = HashingChannel.sha256();
        try (DigestInputStream in = new DigestInputStream(content, d)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(HashingChannel.sha256().digest(b));
    }
}
