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
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
        Path part = Files.write(tmp.resolve("a.part"), java.util.Arrays.copyOf(content, 1000));
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(content, 0, 1000);
        FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE);
        ch.position(1000);
        AtomicInteger resumes = new AtomicInteger();
        UploadSink sink = new UploadSink(writers, ch, digest, resumes::incrementAndGet, e -> {
        });
        boolean paused = false;
        for (int at = 1000; at < content.length; at += 16 * 1024) {
            int n = Math.min(16 * 1024, content.length - at);
            // an array with other bytes around the piece, as a slice of the HTTP layer's buffer would have
            byte[] around = new byte[n + 10];
            System.arraycopy(content, at, around, 5, n);
            paused |= sink.offer(Unpooled.wrappedBuffer(around, 5, n));
        }

        Done done = await(sink);

        assertNull(done.failure());
        assertEquals(content.length - 1000, done.written());
        assertArrayEquals(content, Files.readAllBytes(part));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)),
                HexFormat.of().formatHex(digest.digest()));
        if (paused) {
            assertTrue(resumes.get() >= 1, "a paused source is told to resume once the queue drains");
        }
    }

    @Test
    void theSourceIsToldToPauseAboveTheHighWaterMarkAndToResumeBelowTheLowOne() throws Exception {
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
            CountDownLatch resumed = new CountDownLatch(1);
            UploadSink sink = new UploadSink(slow, ch, MessageDigest.getInstance("SHA-256"), resumed::countDown, e -> {
            });
            List<Boolean> answers = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(sink.offer(Unpooled.wrappedBuffer(new byte[256 * 1024])));
            }
            assertTrue(blocked.await(30, TimeUnit.SECONDS));
            assertEquals(List.of(false, false, false, false, true), answers, "pause once more than 1 MB waits");
            release.countDown();

            assertTrue(resumed.await(30, TimeUnit.SECONDS), "resumed once the writer caught up");
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
        UploadSink sink = new UploadSink(writers, ch, MessageDigest.getInstance("SHA-256"), () -> {
        }, failures::add);

        assertFalse(sink.offer(Unpooled.wrappedBuffer(new byte[1000])));
        sink.offer(Unpooled.wrappedBuffer(new byte[1000]));
        Done done = await(sink);

        assertEquals(1, failures.size());
        assertEquals(failures.getFirst(), done.failure());
        assertEquals(0, done.written());
        assertEquals(0, Files.size(part));
    }
}
