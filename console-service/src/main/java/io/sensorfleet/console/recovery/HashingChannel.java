package io.sensorfleet.console.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A channel that hashes (SHA-256) what is read through it, so a file is hashed while it is archived. */
final class HashingChannel implements ReadableByteChannel {
    private final ReadableByteChannel in;
    private final MessageDigest digest = sha256();

    HashingChannel(ReadableByteChannel in) {
        this.in = in;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int start = dst.position();
        int n = in.read(dst);
        if (n > 0) {
            digest.update(dst.duplicate().flip().position(start));
        }
        return n;
    }

    String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public boolean isOpen() {
        return in.isOpen();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
