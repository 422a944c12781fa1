package io.sensorfleet.lib.backup;

import io.sensorfleet.lib.tar.TarReader;
import io.sensorfleet.lib.tar.TarWriter;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;

/**
 * Where a backup archive keeps the sensor's secrets, and sealing them in an archive that holds them
 * in clear (a backup from an agent that does not seal yet). Secrets live in {@code config/}, which
 * comes before {@code data/} in every backup, so looking for them reads only the archive's start.
 */
public final class SecretsInArchive {
    /** What the start of an archive says about its secrets. */
    public enum Kind { NONE, CLEAR, SEALED }

    /** The secrets entry found, with its content when it is small enough to be one. */
    public record Found(Kind kind, byte[] content) {
    }

    private SecretsInArchive() {
    }

    /**
     * Looks through the archive's leading entries (its manifest and {@code config/}) for the secrets.
     *
     * @throws IOException when the file cannot be read or is not an archive
     */
    public static Found find(Path archive) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 64 * 1024)) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
                String name = e.name();
                if (e.isFile() && (name.equals(SealedSecrets.CLEAR_ENTRY) || name.equals(SealedSecrets.SEALED_ENTRY))) {
                    if (e.size() > SealedSecrets.MAX_SEALED_BYTES) {
                        throw new IOException(name + " is " + e.size() + " bytes, more than secrets ever take");
                    }
                    byte[] content = tar.content().readAllBytes();
                    return new Found(name.equals(SealedSecrets.CLEAR_ENTRY) ? Kind.CLEAR : Kind.SEALED, content);
                }
                if (!name.startsWith("config") && !name.equals("sensorfleet-backup.json")) {
                    return new Found(Kind.NONE, null); // past config/: the rest is data
                }
            }
            return new Found(Kind.NONE, null);
        }
    }

    /**
     * Copies {@code source} to {@code target} with its clear secrets entry replaced by the same
     * content sealed for {@code recipient} (mode 0600); every other entry is copied as it is.
     *
     * @return the SHA-256 of {@code target}
     * @throws IOException when the source is not an archive of files and directories only
     */
    public static String sealClear(Path source, Path target, PublicKey recipient) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(source), 256 * 1024);
             TarWriter out = new TarWriter(FileChannel.open(target, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING))) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
                if (e.isDirectory()) {
                    out.directory(e.name(), e.mtimeSeconds());
                } else if (!e.isFile()) {
                    throw new IOException("entry " + e.name() + " is neither a file nor a directory");
                } else if (e.name().equals(SealedSecrets.CLEAR_ENTRY)) {
                    byte[] sealed = SealedSecrets.seal(recipient, tar.content().readAllBytes(), SealedSecrets.SEALED_ENTRY);
                    out.file(SealedSecrets.SEALED_ENTRY, sealed.length, e.mtimeSeconds(), 0600,
                            Channels.newChannel(new ByteArrayInputStream(sealed)));
                } else {
                    out.file(e.name(), e.size(), e.mtimeSeconds(), e.mode() & 0777, Channels.newChannel(tar.content()));
                }
            }
            String sha = out.finish();
            try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            return sha;
        }
    }
}
