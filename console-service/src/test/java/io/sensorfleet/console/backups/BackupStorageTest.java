package io.sensorfleet.console.backups;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupStorageTest {
    @TempDir
    Path dir;

    record Config(String storageDir, int keep, String time, String timeZone) implements BackupsConfig {
        @Override
        public long allocationBytes() {
            return 1;
        }

        @Override
        public long minFreeBytes() {
            return 0;
        }

        @Override
        public int maxParallelTransfers() {
            return 1;
        }

        @Override
        public Duration stallTimeout() {
            return Duration.ofMinutes(1);
        }

        @Override
        public Duration offerTimeout() {
            return Duration.ofMinutes(1);
        }

        @Override
        public Duration pendingTimeout() {
            return Duration.ofMinutes(1);
        }

        @Override
        public Duration sweepInterval() {
            return Duration.ofMinutes(1);
        }

        @Override
        public Schedule schedule() {
            return new Schedule() {
                @Override
                public boolean enabled() {
                    return true;
                }

                @Override
                public String time() {
                    return time;
                }

                @Override
                public String timeZone() {
                    return timeZone;
                }

                @Override
                public Duration catchUp() {
                    return Duration.ofHours(1);
                }

                @Override
                public Duration reuseWithin() {
                    return Duration.ofHours(24);
                }
            };
        }
    }

    @Test
    void aPlainPathIsAccepted() {
        assertEquals(List.of(), BackupStorage.validate(new Config("/mnt/sensor_backups/Site_7", 3, "04:00", "UTC")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/mnt/../etc", "/mnt/backups-1", "/mnt/back ups", "/mnt/x;rm -rf", "C:\\backups", "/mnt/ü", ""})
    void aStoragePathWithOtherCharactersIsRefusedNamingTheAllowedOnes(String path) {
        List<String> problems = BackupStorage.validate(new Config(path, 3, "04:00", "UTC"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("only / a-z A-Z 0-9 _"), problems.get(0));
    }

    @Test
    void keepMustBeOneToNineAndTheScheduleMustParse() {
        List<String> problems = BackupStorage.validate(new Config("/srv/b", 10, "4 o'clock", "Mars/Olympus"));
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("from 1 to 9"));
        assertTrue(problems.get(1).contains("HH:mm"));
        assertTrue(problems.get(2).contains("IANA"));
    }

    @Test
    void storedFilesGetServerChosenNamesAndNothingResolvesOutsideTheDirectory() {
        BackupStorage s = new BackupStorage(
                new Config(dir.toString().replaceAll("[^A-Za-z0-9_/]", "_"), 3, "04:00", "UTC"));
        setRoot(s, dir);
        UUID sensor = UUID.fromString("11111111-2222-3333-4444-555555555555");
        UUID backup = UUID.fromString("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
        String name = BackupStorage.storageName(sensor, backup);
        assertEquals("11111111222233334444555555555555/aaaaaaaabbbbccccddddeeeeeeeeeeee.tar", name);
        assertEquals(dir.resolve(name), s.file(name));
        assertTrue(s.part(name).toString().endsWith(".part"));
        assertThrows(IllegalArgumentException.class, () -> s.file("../outside.tar"));
        assertThrows(IllegalArgumentException.class, () -> s.file("/etc/passwd"));
    }

    @Test
    void storedBackupsAreReadableByTheConsoleUserOnly() throws Exception {
        BackupStorage s = new BackupStorage(
                new Config(dir.toString().replaceAll("[^A-Za-z0-9_/]", "_"), 3, "04:00", "UTC"));
        setRoot(s, dir);
        String name = BackupStorage.storageName(UUID.randomUUID(), UUID.randomUUID());
        java.nio.file.Files.writeString(s.createPart(name), "config/secrets.conf");
        s.commit(name);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(s.file(name))));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(s.file(name).getParent())));
    }

    private static void setRoot(BackupStorage s, Path root) {
        try {
            var f = BackupStorage.class.getDeclaredField("root");
            f.setAccessible(true);
            f.set(s, root);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
