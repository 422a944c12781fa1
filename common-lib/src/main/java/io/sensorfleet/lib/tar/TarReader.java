package io.sensorfleet.lib.tar;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a ustar archive entry by entry, checking each header's checksum. It reports names and
 * types as they are; deciding which are acceptable is the caller's job (see {@link Restorer}).
 */
public final class TarReader {
    /** One header. {@code type} is the raw type flag ('0' or NUL file, '5' directory, anything else refused by callers). */
    public record Entry(String name, char type, long size, long mtimeSeconds, int mode) {
        public boolean isFile() {
            return type == '0' || type == 0;
        }

        public boolean isDirectory() {
            return type == '5';
        }
    }

    private final InputStream in;
    private long remaining;
    private long padding;
    private boolean ended;

    public TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or null at the end of the archive. The previous entry's content is skipped. */
    public Entry next() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        if (ended) {
            return null;
        }
        byte[] h = in.readNBytes(TarWriter.BLOCK);
        if (h.length == 0) {
            throw new EOFException("the archive ends without its end-of-archive blocks (truncated?)");
        }
        if (h.length < TarWriter.BLOCK) {
            throw new EOFException("the archive is truncated inside a header");
        }
        if (allZero(h)) {
            ended = true;
            return null;
        }
        checkChecksum(h);
        String name = string(h, 0, 100);
        String prefix = string(h, 345, 155);
        String magic = string(h, 257, 6);
        if (magic.startsWith("ustar") && !prefix.isEmpty()) {
            name = prefix + "/" + name;
        }
        long size = number(h, 124, 12);
        if (size < 0) {
            throw new IOException("entry " + name + " has a negative size");
        }
        Entry e = new Entry(name, (char) (h[156] & 0xff), size, number(h, 136, 12), (int) number(h, 100, 8));
        remaining = e.isDirectory() ? 0 : size;
        padding = (TarWriter.BLOCK - remaining % TarWriter.BLOCK) % TarWriter.BLOCK;
        return e;
    }

    /** The current entry's content; read it before calling {@link #next()} again. */
    public InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("the archive is truncated inside an entry");
                }
                remaining -= n;
                return n;
            }
        };
    }

    private void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the archive is truncated inside an entry");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static void checkChecksum(byte[] h) throws IOException {
        long stored = number(h, 148, 8);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < TarWriter.BLOCK; i++) {
            byte b = i >= 148 && i < 156 ? (byte) ' ' : h[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) {
            throw new IOException("a tar header is damaged (checksum mismatch)");
        }
    }

    private static boolean allZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String string(byte[] h, int offset, int length) {
        int end = offset;
        while (end < offset + length && h[end] != 0) {
            end++;
        }
        return new String(h, offset, end - offset, StandardCharsets.UTF_8);
    }

    public static long number(byte[] h, int offset, int length) throws IOException {
        if ((h[offset] & 0x80) != 0) {
            long v = 0;
            for (int i = offset + 1; i < offset + length; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        String s = string(h, offset, length).strip();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("a tar header has a malformed number field");
        }
    }
}
