package io.sensorfleet.agent.backup;

import io.sensorfleet.protocol.v1.backup.BackupFailureKind;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * One backup or restore at a time on a sensor, across processes: the daemon's schedule, the
 * console's requests and {@code sensor-agent backup|restore} on the command line.
 */
final class BackupLock implements AutoCloseable {
    private static final String FILE = ".backup.lock";
    private final FileChannel channel;
    private final FileLock lock;

    private BackupLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static BackupLock acquire(Path stateDir, Duration wait) {
        Path file = stateDir.resolve(FILE);
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            Files.createDirectories(stateDir);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (true) {
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (java.nio.channels.OverlappingFileLockException e) {
                    l = null; // held by this JVM (another thread)
                }
                if (l != null) {
                    return new BackupLock(ch, l);
                }
                if (System.nanoTime() > deadline) {
                    ch.close();
                    throw new BackupException(BackupFailureKind.SENSOR_ERROR,
                            "another backup or restore is running on this sensor; try again when it is done");
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new BackupException(BackupFailureKind.SENSOR_ERROR, "cannot lock " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException(BackupFailureKind.SENSOR_ERROR, "interrupted while waiting for another backup or restore");
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock in any case
        }
    }
}
