package io.sensorfleet.lib.tar;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes a POSIX ustar archive to a file, computing its SHA-256 on the way: regular files and
 * directories, names up to 255 bytes (split into prefix and name), sizes of 8 GiB and more in the
 * base-256 form GNU tar and bsdtar read. No compression and no dependency: the format is 512-byte
 * blocks and a header of fixed fields.
 * <p>
 * {@link #mark()} and {@link #rewind(Mark)} take an entry back out (file truncated, digest
 * restored) so that a file that changed while it was read can be written again.
 */
public final class TarWriter implements Closeable {
    static final int BLOCK = 512;
    /** GNU tar's default record: 20 blocks. Readers do not need it, but some tools expect it. */
    private static final int RECORD = 20 * BLOCK;
    private static final long MAX_OCTAL_SIZE = 077777777777L;

    /** A point to go back to. */
    public record Mark(long position, MessageDigest digest) {
    }

    private final FileChannel out;
    private MessageDigest digest;
    private final ByteBuffer copy = ByteBuffer.allocateDirect(256 * 1024);

    public TarWriter(FileChannel out) {
        this.out = out;
        this.digest = sha256();
    }

    public void directory(String name, long mtimeSeconds) throws IOException {
        String dir = name.endsWith("/") ? name : name + "/";
        write(ByteBuffer.wrap(header(dir, 0, mtimeSeconds, 0755, '5')));
    }

    /**
     * Adds a file of exactly {@code size} bytes read from {@code content}.
     *
     * @throws ShortFileException when the content ends before {@code size} bytes (it shrank while read)
     */
    public void file(String name, long size, long mtimeSeconds, int mode, ReadableByteChannel content) throws IOException {
        write(ByteBuffer.wrap(header(name, size, mtimeSeconds, mode & 0777, '0')));
        long left = size;
        while (left > 0) {
            copy.clear();
            if (left < copy.capacity()) {
                copy.limit((int) left);
            }
            int n = content.read(copy);
            if (n < 0) {
                throw new ShortFileException(name);
            }
            copy.flip();
            left -= copy.remaining();
            write(copy);
        }
        pad(size);
    }

    /** Adds a small file from memory. */
    public void file(String name, byte[] content, long mtimeSeconds) throws IOException {
        write(ByteBuffer.wrap(header(name, content.length, mtimeSeconds, 0644, '0')));
        write(ByteBuffer.wrap(content));
        pad(content.length);
    }

    public Mark mark() throws IOException {
        return new Mark(out.position(), cloned(digest));
    }

    public void rewind(Mark mark) throws IOException {
        out.truncate(mark.position());
        out.position(mark.position());
        digest = cloned(mark.digest());
    }

    /** Writes the end-of-archive blocks and pads to a whole record; returns the SHA-256 of the archive. */
    public String finish() throws IOException {
        long end = out.position() + 2L * BLOCK;
        long padded = (end + RECORD - 1) / RECORD * RECORD;
        write(ByteBuffer.allocate((int) (padded - out.position())));
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            write(ByteBuffer.allocate(BLOCK - rest));
        }
    }

    private void write(ByteBuffer b) throws IOException {
        digest.update(b.duplicate());
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    public static byte[] header(String name, long size, long mtimeSeconds, int mode, char type) {
        byte[] h = new byte[BLOCK];
        byte[] full = name.getBytes(StandardCharsets.UTF_8);
        if (full.length <= 100) {
            System.arraycopy(full, 0, h, 0, full.length);
        } else {
            int split = splitPoint(full);
            if (split < 0) {
                throw new IllegalArgumentException("path too long for a ustar archive: " + name);
            }
            System.arraycopy(full, split + 1, h, 0, full.length - split - 1);
            System.arraycopy(full, 0, h, 345, split);
        }
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        if (size <= MAX_OCTAL_SIZE) {
            octal(h, 124, 12, size);
        } else {
            // base-256: high bit of the first byte set, the value big-endian in the rest of the field
            h[124] = (byte) 0x80;
            for (int i = 0; i < 8; i++) {
                h[135 - i] = (byte) (size >>> (8 * i));
            }
        }
        octal(h, 136, 12, Math.max(0, mtimeSeconds));
        h[156] = (byte) type;
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String chk = String.format("%06o", sum);
        System.arraycopy(chk.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    /** Index of a '/' such that what precedes fits the prefix (155) and what follows the name (100). */
    private static int splitPoint(byte[] full) {
        for (int i = Math.min(155, full.length - 1); i > 0; i--) {
            if (full[i] == '/' && full.length - i - 1 <= 100 && full.length - i - 1 > 0) {
                return i;
            }
        }
        return -1;
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        String s = Long.toOctalString(value);
        int digits = length - 1;
        if (s.length() > digits) {
            throw new IllegalArgumentException("value " + value + " does not fit a " + length + "-byte tar field");
        }
        String padded = "0".repeat(digits - s.length()) + s;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, offset, digits);
        h[offset + digits] = 0;
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static MessageDigest cloned(MessageDigest d) {
        try {
            return (MessageDigest) d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }

    /** The file ended before the size it had when the entry was started. */
    public static final class ShortFileException extends IOException {
        ShortFileException(String name) {
            super(name + " became shorter while it was read");
        }
    }
}
