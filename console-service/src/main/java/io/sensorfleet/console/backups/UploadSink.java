package io.sensorfleet.console.backups;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * written to the partial file through one {@link FileChannel} at its position. The source is told
 * to pause while more than {@link #HIGH_WATER} bytes wait and to resume below {@link #LOW_WATER},
 * so memory per upload stays bounded whatever the size.
 */
final class UploadSink {
    static final long HIGH_WATER = 1024 * 1024;
    static final long LOW_WATER = 256 * 1024;

    private final UploadWriters writers;
    private final FileChannel channel;
    private final MessageDigest digest;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean resumeWanted = new AtomicBoolean();
    private final Runnable resume;
    private final Consumer<IOException> failed;
    /** Touched by the writer thread of the moment only (draining hands it over with a happens-before). */
    private IOException failure;
    private long written;

    /**
     * @param resume called (from a writer thread) when a paused source may send again
     * @param failed called once (from a writer thread) when writing fails; later pieces are dropped
     */
    UploadSink(UploadWriters writers, FileChannel channel, MessageDigest digest, Runnable resume,
               Consumer<IOException> failed) {
        this.writers = writers;
        this.channel = channel;
        this.digest = digest;
        this.resume = resume;
        this.failed = failed;
    }

    /** Queues a piece; true when the source should pause until {@code resume} is called. */
    boolean offer(ByteBuf piece) {
        queued.addAndGet(piece.readableBytes());
        enqueue(piece);
        if (queued.get() <= HIGH_WATER) {
            return false;
        }
        resumeWanted.set(true);
        // the writer may have emptied the queue before it could see resumeWanted
        if (queued.get() <= LOW_WATER && resumeWanted.compareAndSet(true, false)) {
            return false;
        }
        return true;
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
        try {
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
                ByteBuffer bytes = piece.nioBuffer();
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                written += n;
            }
        } catch (IOException e) {
            failure = e;
            failed.accept(e);
        } finally {
            long left = queued.addAndGet(-n);
            if (left <= LOW_WATER && resumeWanted.compareAndSet(true, false)) {
                resume.run();
            }
        }
    }
}
