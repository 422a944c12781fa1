package io.sensorfleet.console.backups;

import com.sun.nio.file.ExtendedOpenOption;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The file side of one upload: the pieces the event loop hands over are hashed and written in
 * order on an {@link UploadWriters} thread, one piece at a time and never two at once. A piece is
 * hashed from the array the HTTP layer already copied it into (no second copy, unlike
 * {@code MessageDigest.update(ByteBuffer)} on a direct buffer, which copied 4 KB at a time) and
 * written to the partial file through one {@link FileChannel} at its position, gathered first into
 * a direct buffer of {@link #WRITE_SIZE} bytes: a TLS record brings at most 16 KB, and one
 * {@code write} per piece was ~64 system calls and as many copies into the JDK's temporary direct
 * buffer per MB; the gathered bytes go out in one call, and a {@link Step} always finds
 * everything before it written. The source is told to pause while more than {@link #HIGH_WATER}
 * bytes wait, and {@link #drained()} says when it may go on (at most {@link #LOW_WATER} left), so
 * memory per upload stays bounded whatever the size.
 * The source asks rather than being called back: a callback from a writer thread had to post to
 * the source's event loop and wake it, once per pause, and those wake-ups were a quarter of the
 * console's samples in a 20 × 500 MB run (the event loop now checks on its own timer).
 * <p>
 * Where the file system takes it, whole blocks go out through a second channel opened with
 * {@code O_DIRECT} ({@link #openDirect}), from the block-aligned gathering buffer to the disk
 * without the page cache: a buffered write copies every byte into the cache and the
 * {@code fsync} that makes the backup durable then writes the cache back, which cost the writer
 * threads ~1.8 ms of kernel CPU per MB (as {@code dd conv=fsync} does here, against ~0.25 ms with
 * {@code oflag=direct}). What is not whole blocks at block positions (the start of a resumed
 * upload up to the next block, the last bytes) goes through the ordinary channel; the two never
 * write the same block. A file system that opens with {@code O_DIRECT} but then refuses the writes
 * gets the rest of the upload through the page cache, not a failed upload.
 */
final class UploadSink {
    static final long HIGH_WATER = 1024 * 1024;
    static final long LOW_WATER = 256 * 1024;
    static final int WRITE_SIZE = 256 * 1024;

    private final UploadWriters writers;
    private final FileChannel channel;
    /** The same file opened for direct writes, or null (also after it once failed); {@link #align} is its block size. */
    private FileChannel direct;
    private final int align;
    private final MessageDigest digest;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Consumer<IOException> failed;
    /** Touched by the writer thread of the moment only (draining hands it over with a happens-before). */
    private IOException failure;
    private long written;
    /** Where in the file this upload's first byte goes: the channel's position when the first piece is written. */
    private long start = -1;
    /** Hashed bytes not yet written; allocated with the first piece. */
    private ByteBuffer gathered;

    /**
     * @param failed called once (from a writer thread) when writing fails; later pieces are dropped
     */
    UploadSink(UploadWriters writers, FileChannel channel, MessageDigest digest, Consumer<IOException> failed) {
        this(writers, channel, null, digest, failed);
    }

    /**
     * @param channel the partial file, positioned where this upload continues
     * @param direct  the same file from {@link #openDirect}, or null to write everything through {@code channel}
     */
    UploadSink(UploadWriters writers, FileChannel channel, Direct direct, MessageDigest digest,
               Consumer<IOException> failed) {
        this.writers = writers;
        this.channel = channel;
        this.direct = direct == null ? null : direct.channel();
        this.align = direct == null ? 1 : direct.blockSize();
        this.digest = digest;
        this.failed = failed;
    }

    /** A file opened for direct writes, and the block size its positions, lengths and buffers align to. */
    record Direct(FileChannel channel, int blockSize) {
    }

    /**
     * Opens {@code file} for direct writes, or returns null where the file system does not take
     * them (tmpfs, some network shares) or its block size is not a power of two up to 64 KB: the
     * upload is then written through the page cache, as before.
     */
    static Direct openDirect(Path file) {
        try {
            long block = Files.getFileStore(file).getBlockSize();
            if (block < 512 || block > 64 * 1024 || Long.bitCount(block) != 1 || WRITE_SIZE % block != 0) {
                return null;
            }
            return new Direct(FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT), (int) block);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Queues a piece; true when the source should pause until {@link #drained()}. */
    boolean offer(ByteBuf piece) {
        long waiting = queued.addAndGet(piece.readableBytes());
        enqueue(piece);
        return waiting > HIGH_WATER;
    }

    /** True when a paused source may send again: at most {@link #LOW_WATER} bytes still wait. */
    boolean drained() {
        return queued.get() <= LOW_WATER;
    }

    /**
     * Runs {@code after} on the writer thread once every piece queued before it is hashed and written
     * (or dropped after a failure), with the bytes written so far and the failure, if any.
     */
    void then(Step after) {
        enqueue(after);
    }

    /** What to do once the pieces before it are done: {@code failure} is null when every write succeeded. */
    interface Step {
        void run(long written, IOException failure);
    }

    /** Closes the file; for the writer thread, from a {@link Step}. */
    void close() {
        gathered = null;
        try (FileChannel d = direct) {
            channel.close();
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        }
    }

    private void enqueue(Object o) {
        queue.add(o);
        if (draining.compareAndSet(false, true)) {
            writers.execute(this::drain);
        }
    }

    private void drain() {
        try {
            Object o;
            while ((o = queue.poll()) != null) {
                if (o instanceof ByteBuf piece) {
                    write(piece);
                } else {
                    writeGathered();
                    ((Step) o).run(written, failure);
                }
            }
        } finally {
            draining.set(false);
        }
        if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
            writers.execute(this::drain);
        }
    }

    private void write(ByteBuf piece) {
        int n = piece.readableBytes();
        try {
            if (failure == null) {
                if (piece.hasArray()) {
                    digest.update(piece.array(), piece.arrayOffset() + piece.readerIndex(), n);
                } else {
                    digest.update(piece.nioBuffer());
                }
                gather(piece.nioBuffer());
            }
        } finally {
            queued.addAndGet(-n);
        }
    }

    private void gather(ByteBuffer bytes) {
        if (gathered == null) {
            // Aligned for direct writes (a block more than needed, sliced at the first aligned address).
            gathered = ByteBuffer.allocateDirect(WRITE_SIZE + align - 1).alignedSlice(align);
            limitToNextBlock();
        }
        while (bytes.hasRemaining() && failure == null) {
            int take = Math.min(bytes.remaining(), gathered.remaining());
            gathered.put(gathered.position(), bytes, bytes.position(), take);
            gathered.position(gathered.position() + take);
            bytes.position(bytes.position() + take);
            if (!gathered.hasRemaining()) {
                writeGathered();
            }
        }
    }

    /** Writes what was gathered; the first failure is kept and reported, and nothing is written after it. */
    private void writeGathered() {
        if (gathered == null || gathered.position() == 0 || failure != null) {
            return;
        }
        gathered.flip();
        int n = gathered.remaining();
        try {
            long at = position();
            if (direct != null && at % align == 0 && n % align == 0 && !wroteDirectly(at, n)) {
                gathered.position(0);
            }
            while (gathered.hasRemaining()) {
                channel.write(gathered, at + n - gathered.remaining());
            }
            written += n;
        } catch (IOException e) {
            failure = e;
            failed.accept(e);
        } finally {
            gathered.clear();
            limitToNextBlock();
        }
    }

    /*
     * False when the file system refused the direct write after all (some accept O_DIRECT when the
     * file is opened and fail the writes): the buffer is then written again through the page cache,
     * at the same position, and so is the rest of the upload.
     */
    private boolean wroteDirectly(long at, int n) {
        try {
            while (gathered.hasRemaining()) {
                direct.write(gathered, at + n - gathered.remaining());
            }
            return true;
        } catch (IOException e) {
            try (FileChannel refused = direct) {
                direct = null;
            } catch (IOException ignored) {
                // closing what failed: nothing more to learn from it
            }
            return false;
        }
    }

    private long position() throws IOException {
        if (start < 0) {
            start = channel.position();
        }
        return start + written;
    }

    /*
     * A resumed upload can continue in the middle of a block: its first write then ends at the next
     * block boundary (through the page cache), so every full buffer after it lies on whole blocks.
     */
    private void limitToNextBlock() {
        if (direct == null) {
            return;
        }
        try {
            long at = position();
            gathered.limit(at % align == 0 ? WRITE_SIZE : (int) (align - at % align));
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
                failed.accept(e);
            }
        }
    }
}
