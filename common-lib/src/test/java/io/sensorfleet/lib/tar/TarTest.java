package io.sensorfleet.lib.tar;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TarTest {
    @TempDir
    Path dir;

    private static final String LONG = "data/" + "deep/".repeat(30) + "file-with-a-long-name.bin";

    private Path archive(List<String> names, List<byte[]> contents) throws IOException {
        Path tar = dir.resolve("t.tar");
        try (TarWriter w = new TarWriter(FileChannel.open(tar, StandardOpenOption.CREATE, StandardOpenOption.WRITE))) {
            w.directory("config", 1_700_000_000L);
            for (int i = 0; i < names.size(); i++) {
                byte[] c = contents.get(i);
                w.file(names.get(i), c.length, 1_700_000_000L, 0640, Channels.newChannel(new ByteArrayInputStream(c)));
            }
            w.finish();
        }
        return tar;
    }

    @Test
    void whatIsWrittenReadsBackWithNamesSizesAndContent() throws IOException {
        byte[] big = new byte[100_000];
        new java.util.Random(1).nextBytes(big);
        Path tar = archive(List.of("config/a.conf", LONG, "data/empty"),
                List.of("x=1\n".getBytes(StandardCharsets.UTF_8), big, new byte[0]));
        assertEquals(0, Files.size(tar) % (20 * 512), "padded to whole records");
        try (InputStream in = Files.newInputStream(tar)) {
            TarReader r = new TarReader(in);
            TarReader.Entry d = r.next();
            assertEquals("config/", d.name());
            assertTrue(d.isDirectory());
            TarReader.Entry a = r.next();
            assertEquals("config/a.conf", a.name());
            assertEquals(0640, a.mode());
            assertEquals("x=1\n", new String(r.content().readAllBytes(), StandardCharsets.UTF_8));
            TarReader.Entry longOne = r.next();
            assertEquals(LONG, longOne.name());
            assertArrayEquals(big, r.content().readAllBytes());
            assertEquals(0, r.next().size());
            assertNull(r.next());
        }
    }

    @Test
    void systemTarReadsTheArchive() throws Exception {
        Path tar = archive(List.of("config/a.conf", LONG), List.of("a".getBytes(), "b".getBytes()));
        Process p = new ProcessBuilder("tar", "-tf", tar.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), listing);
        assertEquals(List.of("config/", "config/a.conf", LONG), listing.lines().toList());
    }

    @Test
    void sizesBeyondEightGibibytesUseTheBase256Form() throws IOException {
        long size = 9L * 1024 * 1024 * 1024;
        byte[] h = TarWriter.header("data/huge", size, 0, 0644, '0');
        assertEquals((byte) 0x80, h[124]);
        assertEquals(size, TarReader.number(h, 124, 12));
    }

    @Test
    void aDamagedHeaderIsRefused() throws IOException {
        Path tar = archive(List.of("config/a.conf"), List.of("a".getBytes()));
        byte[] bytes = Files.readAllBytes(tar);
        bytes[512 + 3] ^= 0x20; // a name byte of the second header
        TarReader r = new TarReader(new ByteArrayInputStream(bytes));
        r.next();
        IOException e = assertThrows(IOException.class, r::next);
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void aTruncatedArchiveIsRefused() throws IOException {
        Path tar = archive(List.of("config/a.conf"), List.of(new byte[5000]));
        byte[] cut = java.util.Arrays.copyOf(Files.readAllBytes(tar), 512 * 4);
        TarReader r = new TarReader(new ByteArrayInputStream(cut));
        List<String> names = new ArrayList<>();
        assertThrows(IOException.class, () -> {
            for (TarReader.Entry e = r.next(); e != null; e = r.next()) {
                names.add(e.name());
                r.content().readAllBytes();
            }
        });
        assertEquals(List.of("config/", "config/a.conf"), names);
    }

    @Test
    void rewindTakesAnEntryBackOutIncludingItsChecksumContribution() throws IOException {
        Path once = dir.resolve("once.tar");
        Path twice = dir.resolve("twice.tar");
        String shaOnce;
        try (TarWriter w = new TarWriter(FileChannel.open(once, StandardOpenOption.CREATE, StandardOpenOption.WRITE))) {
            w.file("config/a", "final".getBytes(), 1);
            shaOnce = w.finish();
        }
        String shaTwice;
        try (TarWriter w = new TarWriter(FileChannel.open(twice, StandardOpenOption.CREATE, StandardOpenOption.WRITE))) {
            TarWriter.Mark m = w.mark();
            w.file("config/a", "first attempt, longer".getBytes(), 1);
            w.rewind(m);
            w.file("config/a", "final".getBytes(), 1);
            shaTwice = w.finish();
        }
        assertArrayEquals(Files.readAllBytes(once), Files.readAllBytes(twice));
        assertEquals(shaOnce, shaTwice);
        assertEquals(shaOnce, sha256Hex(Files.readAllBytes(twice)));
    }

    private static String sha256Hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(TarWriter.sha256().digest(bytes));
    }
}
