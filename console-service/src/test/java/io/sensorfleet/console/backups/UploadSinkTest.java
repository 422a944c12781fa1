package io.sensorfleet.console.backups;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UploadSinkTest {
    @TempDir
    Path tmp;

    private final UploadWriters writers = new UploadWriters();

    @AfterEach
    void stop() {
        writers.stop(null);
    }

    private record Done(long written, IOException failure) {
    }

    /** The upload continued at byte 1,000: the file holds all of {@code content} and the digest is its hash. */
    private static void assertResumedAt1000AndWhole(Done done, byte[] content, Path part, MessageDigest digest)
            throws Exception {
        assertNull(done.failure());
        assertEquals(content.length - 1000, done.written());
        assertArrayEquals(content, Files.readAllBytes(part));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)),
                HexFormat.of().formatHex(digest.digest()));
    }

    /** Offers {@code content} from {@code from} on in pieces of 16 KB, as TLS records bring it; returns how many. */
    private static int feed(UploadSink sink, byte[] content, int from) {
        int pieces = 0;
        for (int at = from; at < content.length; at += 16 * 1024) {
            sink.offer(Unpooled.wrappedBuffer(content, at, Math.min(16 * 1024, content.length - at)));
            pieces++;
        }
        return pieces;
    }

    /** A partial file holding the first 1,000 bytes of {@code content}, whose hash {@code digest} has taken in. */
    private static Path resumedAt1000(Path dir, String name, byte[] content, MessageDigest digest) throws IOException {
        digest.update(content, 0, 1000);
        return Files.write(dir.resolve(name), java.util.Arrays.copyOf(content, 1000));
    }

    /** Under the build directory: the system's temporary directory may be a tmpfs, which refuses O_DIRECT. */
    static final class BuildDirectory implements org.junit.jupiter.api.io.TempDirFactory {
        @Override
        public Path createTempDirectory(org.junit.jupiter.api.extension.AnnotatedElementContext element,
                                        org.junit.jupiter.api.extension.ExtensionContext context) throws IOException {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target")), "direct-io-test");
        }
    }

    private static Done await(UploadSink sink) throws Exception {
        CompletableFuture<Done> done = new CompletableFuture<>();
        sink.then((written, failure) -> {
            sink.close();
            done.complete(new Done(written, failure));
        });
        return done.get(30, TimeUnit.SECONDS);
    }

    @Test
    void piecesAreWrittenInOrderFromTheOffsetAndHashedWithoutLosingAByte() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(content);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Path part = resumedAt1000(tmp, "a.part", content, digest);
        FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE);
        ch.position(1000);
        UploadSink sink = new UploadSink(writers, ch, digest, e -> {
        });
        for (int at = 1000; at < content.length; at += 16 * 1024) {
            int n = Math.min(16 * 1024, content.length - at);
            // an array with other bytes around the piece, as a slice of the HTTP layer's buffer would have
            byte[] around = new byte[n + 10];
            System.arraycopy(content, at, around, 5, n);
            sink.offer(Unpooled.wrappedBuffer(around, 5, n));
        }

        assertResumedAt1000AndWhole(await(sink), content, part, digest);
        assertTrue(sink.drained(), "once everything is written nothing counts as waiting");
    }

    @Test
    void theSourceIsToldToPauseAboveTheHighWaterMarkAndMayGoOnBelowTheLowOne() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        UploadWriters slow = new UploadWriters() {
            @Override
            void execute(Runnable r) {
                super.execute(() -> {
                    blocked.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    r.run();
                });
            }
        };
        try {
            FileChannel ch = FileChannel.open(Files.createFile(tmp.resolve("b.part")), StandardOpenOption.WRITE);
            UploadSink sink = new UploadSink(slow, ch, MessageDigest.getInstance("SHA-256"), e -> {
            });
            List<Boolean> answers = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(sink.offer(Unpooled.wrappedBuffer(new byte[256 * 1024])));
            }
            assertTrue(blocked.await(30, TimeUnit.SECONDS));
            assertEquals(List.of(false, false, false, false, true), answers, "pause once more than 1 MB waits");
            assertFalse(sink.drained(), "not before the writer is down to 256 KB");
            release.countDown();

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(sink::drained);
            assertEquals(5 * 256 * 1024, await(sink).written());
        } finally {
            slow.stop(null);
        }
    }

    @Test
    void aFailedWriteIsReportedOnceAndTheRestIsDroppedNotWritten() throws Exception {
        Path part = Files.createFile(tmp.resolve("c.part"));
        FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE);
        ch.close(); // every write now fails
        List<IOException> failures = new CopyOnWriteArrayList<>();
        UploadSink sink = new UploadSink(writers, ch, MessageDigest.getInstance("SHA-256"), failures::add);

        assertFalse(sink.offer(Unpooled.wrappedBuffer(new byte[1000])));
        sink.offer(Unpooled.wrappedBuffer(new byte[1000]));
        Done done = await(sink);

        assertEquals(1, failures.size());
        assertEquals(failures.getFirst(), done.failure());
        assertEquals(0, done.written());
        assertEquals(0, Files.size(part));
    }

    @Test
    void piecesGoToTheFileGatheredIntoQuarterMegabyteWritesNotOneWritePerPiece() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 5];
        new Random(11).nextBytes(content);
        Path part = tmp.resolve("d.part");
        List<Integer> writes = new CopyOnWriteArrayList<>();
        FileChannel ch = new CountingChannel(FileChannel.open(part, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), writes);
        UploadSink sink = new UploadSink(writers, ch, MessageDigest.getInstance("SHA-256"), e -> {
        });
        int pieces = feed(sink, content, 0);

        Done done = await(sink);

        assertNull(done.failure());
        assertEquals(content.length, done.written());
        assertArrayEquals(content, Files.readAllBytes(part));
        assertEquals(193, pieces);
        // 12 full buffers and the 5 bytes left, written before the step that ends the upload runs
        assertEquals(13, writes.size(), "write calls: " + writes);
        assertTrue(writes.subList(0, 12).stream().allMatch(n -> n == UploadSink.WRITE_SIZE), "sizes: " + writes);
        assertEquals(5, writes.getLast());
    }

    @Test
    void wholeBlocksGoToTheDiskDirectlyAndAResumedStartAndTheEndThroughThePageCacheWithoutLosingAByte(
            @TempDir(factory = BuildDirectory.class) Path dir) throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(13).nextBytes(content);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        // A resumed upload: the console already holds 1,000 bytes, so it continues in the middle of a block.
        Path part = resumedAt1000(dir, "e.part", content, digest);
        UploadSink.Direct opened = UploadSink.openDirect(part);
        org.junit.jupiter.api.Assumptions.assumeTrue(opened != null,
                "the build directory's file system takes no direct writes; nothing to check here");
        int block = opened.blockSize();
        List<Integer> buffered = new CopyOnWriteArrayList<>();
        FileChannel ch = new CountingChannel(FileChannel.open(part, StandardOpenOption.WRITE), buffered);
        ch.position(1000);
        CountingChannel direct = new CountingChannel(opened.channel(), new CopyOnWriteArrayList<>());
        UploadSink sink = new UploadSink(writers, ch, new UploadSink.Direct(direct, block), digest, e -> {
        });
        feed(sink, content, 1000);

        assertResumedAt1000AndWhole(await(sink), content, part, digest);
        int whole = (content.length - block) / UploadSink.WRITE_SIZE;
        assertEquals(whole, direct.placed.size(), "every full buffer after the first block boundary went directly");
        for (int i = 0; i < whole; i++) {
            assertEquals(block + (long) i * UploadSink.WRITE_SIZE, direct.placed.get(i)[0]);
            assertEquals(UploadSink.WRITE_SIZE, direct.placed.get(i)[1]);
        }
        assertEquals(List.of(block - 1000, (content.length - block) % UploadSink.WRITE_SIZE), buffered,
                "through the page cache: up to the first block boundary, and the end");
    }

    @Test
    void whenDirectWritesFailAfterAllTheUploadGoesOnThroughThePageCacheWithoutLosingAByte() throws Exception {
        byte[] content = new byte[1024 * 1024 + 1000];
        new Random(17).nextBytes(content);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Path part = resumedAt1000(tmp, "f.part", content, digest);
        FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE);
        ch.position(1000);
        FileChannel refusing = FileChannel.open(part, StandardOpenOption.WRITE);
        refusing.close(); // every write through it fails, as O_DIRECT writes on a file system that only pretends to take them
        List<IOException> failures = new CopyOnWriteArrayList<>();
        UploadSink sink = new UploadSink(writers, ch, new UploadSink.Direct(refusing, 4096), digest, failures::add);
        feed(sink, content, 1000);

        assertResumedAt1000AndWhole(await(sink), content, part, digest);
        assertEquals(List.of(), failures, "not a failure of the upload");
    }

    /** A file channel that records the size of every write it passes on. */
    private static final class CountingChannel extends FileChannel {
        private final FileChannel file;
        private final List<Integer> writes;
        /** Position and size of each write, where the sink gives the position. */
        private final List<long[]> placed = new CopyOnWriteArrayList<>();

        CountingChannel(FileChannel file, List<Integer> writes) {
            this.file = file;
            this.writes = writes;
        }

        @Override
        public int write(java.nio.ByteBuffer src) throws IOException {
            int n = file.write(src);
            writes.add(n);
            return n;
        }

        @Override
        public int read(java.nio.ByteBuffer dst) throws IOException {
            return file.read(dst);
        }

        @Override
        public long read(java.nio.ByteBuffer[] dsts, int offset, int length) throws IOException {
            return file.read(dsts, offset, length);
        }

        @Override
        public long write(java.nio.ByteBuffer[] srcs, int offset, int length) throws IOException {
            throw new UnsupportedOperationException("not used by the sink");
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            file.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            file.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            file.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, java.nio.channels.WritableByteChannel target) throws IOException {
            return file.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(java.nio.channels.ReadableByteChannel src, long position, long count) throws IOException {
            return file.transferFrom(src, position, count);
        }

        @Override
        public int read(java.nio.ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public int write(java.nio.ByteBuffer src, long position) throws IOException {
            int n = file.write(src, position);
            writes.add(n);
            placed.add(new long[] {position, n});
            return n;
        }

        @Override
        public java.nio.MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return file.map(mode, position, size);
        }

        @Override
        public java.nio.channels.FileLock lock(long position, long size, boolean shared) throws IOException {
            return file.lock(position, size, shared);
        }

        @Override
        public java.nio.channels.FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }
}
