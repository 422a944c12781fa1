package io.sensorfleet.lib.packages;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * The outer archive of an update package: a POSIX ustar file with exactly {@value #MANIFEST},
 * {@value #SIGNATURE} and {@value #PAYLOAD}, in that order. Read in one pass: the manifest and
 * signature are small and kept, the payload is hashed as it streams by (and copied to a sink if one
 * is given), so a package of any size is checked in constant memory.
 */
public final class PackageArchive {
    public static final String MANIFEST = "manifest.json";
    public static final String SIGNATURE = "manifest.sig";
    public static final String PAYLOAD = "payload.tar";
    private static final int BLOCK = 512;
    private static final int MAX_SIGNATURE = 4096;

    /** What the archive holds; {@code signature} is null when it has none. */
    public record Contents(byte[] manifest, byte[] signature, String payloadSha256, long payloadSize) {
    }

    /** A package whose signature, manifest and payload digest were all checked. */
    public record Verified(UpdateManifest manifest, String keyId) {
    }

    private PackageArchive() {
    }

    /**
     * Checks a whole package: layout, signature with a trusted key, manifest, payload digest and size.
     *
     * @param payloadSink receives the payload's bytes as they are read, or null
     */
    public static Verified verify(InputStream in, Map<String, PublicKey> trusted, OutputStream payloadSink)
            throws PackageException, IOException {
        Contents c = read(in, payloadSink);
        if (c.signature() == null) {
            throw new PackageException(PackageException.Kind.UNSIGNED, "the package has no " + SIGNATURE
                    + ": only packages signed by a trusted vendor key are accepted");
        }
        String keyId = PackageSignature.verify(c.manifest(), c.signature(), trusted);
        UpdateManifest m = UpdateManifest.parse(c.manifest());
        if (!m.payloadSha256().equals(c.payloadSha256()) || m.payloadSize() != c.payloadSize()) {
            throw new PackageException(PackageException.Kind.DIGEST_MISMATCH, "the payload's SHA-256 is "
                    + c.payloadSha256() + " (" + c.payloadSize() + " bytes) but the signed manifest says "
                    + m.payloadSha256() + " (" + m.payloadSize() + " bytes): the payload was changed or damaged");
        }
        return new Verified(m, keyId);
    }

    /** Reads the archive's entries without judging the signature or the manifest. */
    public static Contents read(InputStream in, OutputStream payloadSink) throws PackageException, IOException {
        byte[] manifest = null;
        byte[] signature = null;
        while (true) {
            byte[] h = in.readNBytes(BLOCK);
            if (h.length < BLOCK) {
                throw truncated(h.length == 0 ? "the archive ends before its " + PAYLOAD : "the archive ends inside a header");
            }
            if (allZero(h)) {
                throw malformed("the archive has no " + PAYLOAD + " entry");
            }
            String name = header(h);
            long size = octal(h, 124, 12);
            if (MANIFEST.equals(name) && manifest == null && signature == null) {
                manifest = small(in, size, UpdateManifest.MAX_BYTES, name);
            } else if (SIGNATURE.equals(name) && manifest != null && signature == null) {
                signature = small(in, size, MAX_SIGNATURE, name);
            } else if (PAYLOAD.equals(name) && manifest != null) {
                String sha = copy(in, size, payloadSink);
                skipPadding(in, size);
                byte[] end = in.readNBytes(BLOCK);
                if (end.length < BLOCK) {
                    throw truncated("the archive ends without its end-of-archive block");
                }
                if (!allZero(end)) {
                    throw malformed("an entry follows " + PAYLOAD + "; a package holds only " + MANIFEST + ", "
                            + SIGNATURE + " and " + PAYLOAD);
                }
                return new Contents(manifest, signature, sha, size);
            } else {
                throw malformed("unexpected entry '" + name + "': a package holds " + MANIFEST + ", " + SIGNATURE
                        + " and " + PAYLOAD + ", in that order");
            }
        }
    }

    /** Writes a package: manifest, signature and the payload of {@code payloadSize} bytes from {@code payload}. */
    public static void write(OutputStream out, byte[] manifest, byte[] signature, InputStream payload, long payloadSize)
            throws IOException {
        entry(out, MANIFEST, new java.io.ByteArrayInputStream(manifest), manifest.length);
        if (signature != null) {
            entry(out, SIGNATURE, new java.io.ByteArrayInputStream(signature), signature.length);
        }
        entry(out, PAYLOAD, payload, payloadSize);
        out.write(new byte[2 * BLOCK]);
    }

    private static void entry(OutputStream out, String name, InputStream content, long size) throws IOException {
        byte[] h = new byte[BLOCK];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", 0));
        h[156] = '0';
        put(h, 257, "ustar");
        put(h, 263, "00");
        Arrays.fill(h, 148, 156, (byte) ' ');
        put(h, 148, String.format("%06o", sum(h)));
        h[154] = 0;
        out.write(h);
        long copied = content.transferTo(out);
        if (copied != size) {
            throw new IOException(name + ": expected " + size + " bytes, got " + copied);
        }
        out.write(new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)]);
    }

    private static String header(byte[] h) throws PackageException {
        long stored = octal(h, 148, 8);
        byte[] copy = h.clone();
        Arrays.fill(copy, 148, 156, (byte) ' ');
        if (stored != sum(copy)) {
            throw malformed("a header's checksum is wrong: not a tar archive, or a damaged one");
        }
        if (h[156] != '0' && h[156] != 0) {
            throw malformed("entries must be regular files");
        }
        return string(h, 0, 100);
    }

    private static byte[] small(InputStream in, long size, int max, String name) throws PackageException, IOException {
        if (size > max) {
            throw malformed(name + " is larger than " + max + " bytes");
        }
        byte[] b = in.readNBytes((int) size);
        if (b.length < size) {
            throw truncated("the archive ends inside " + name);
        }
        skipPadding(in, size);
        return b;
    }

    private static String copy(InputStream in, long size, OutputStream sink) throws PackageException, IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw truncated("the archive ends " + left + " bytes before the end of " + PAYLOAD);
            }
            sha.update(buf, 0, n);
            if (sink != null) {
                sink.write(buf, 0, n);
            }
            left -= n;
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void skipPadding(InputStream in, long size) throws PackageException, IOException {
        int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
        if (in.readNBytes(pad).length < pad) {
            throw truncated("the archive ends inside an entry's padding");
        }
    }

    private static long octal(byte[] h, int off, int len) throws PackageException {
        String s = string(h, off, len).trim();
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '7')) {
            throw malformed("a header field is not an octal number: not a tar archive");
        }
        return Long.parseLong(s, 8);
    }

    private static String string(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.US_ASCII);
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    private static long sum(byte[] h) {
        long s = 0;
        for (byte b : h) {
            s += b & 0xff;
        }
        return s;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PackageException truncated(String m) {
        return new PackageException(PackageException.Kind.TRUNCATED, m);
    }

    private static PackageException malformed(String m) {
        return new PackageException(PackageException.Kind.MALFORMED_PACKAGE, m);
    }
}
