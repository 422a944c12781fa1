package io.sensorfleet.lib.backup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupNamesTest {

    @Test
    void nameFollowsTheSeedFormat() {
        assertEquals("Sensor_1-backup-version-2.6.0.102-2019-06-24_09:24:55.tar",
                BackupNames.fileName("Sensor_1", "2.6.0.102", LocalDateTime.of(2019, 6, 24, 9, 24, 55, 900_000_000)));
    }

    @Test
    void nameParsesBackIntoSensorVersionAndTime() {
        String name = BackupNames.fileName("plant-7.rack-2", "1.0.0", LocalDateTime.of(2026, 1, 2, 3, 4, 5));
        BackupNames.Parsed p = BackupNames.parse(name).orElseThrow();
        assertEquals("plant-7.rack-2", p.sensorName());
        assertEquals("1.0.0", p.version());
        assertEquals(LocalDateTime.of(2026, 1, 2, 3, 4, 5), p.takenAt());
    }

    @Test
    void sensorNameCannotSmuggleAPathIntoTheFileName() {
        String name = BackupNames.fileName("../../etc/cron.d/x y", "1.0.0", LocalDateTime.of(2026, 1, 2, 3, 4, 5));
        assertFalse(name.contains("/"), name);
        assertTrue(name.startsWith("_.._etc_cron.d_x_y-backup-version-"), name);
        assertTrue(BackupNames.isSafe(name), name);
    }

    @Test
    void versionMustBeAPlainVersion() {
        assertThrows(IllegalArgumentException.class,
                () -> BackupNames.fileName("s", "1.0/../../x", LocalDateTime.of(2026, 1, 2, 3, 4, 5)));
    }

    @Test
    void foreignNamesDoNotParse() {
        assertTrue(BackupNames.parse("notes.txt").isEmpty());
        assertTrue(BackupNames.parse("s-backup-version-1.0-2026-13-45_99:00:00.tar").isEmpty());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "../../etc/passwd|passwd",
            "/var/lib/sensorfleet/evil.tar|evil.tar",
            "..\\..\\windows\\system.ini|system.ini",
            "..|backup.tar",
            "../|backup.tar",
            ".hidden.tar|hidden.tar",
            "a b;rm -rf *.tar|a_b_rm_-rf__.tar",
            "s-backup-version-1.0.0-2026-01-02_03:04:05.tar|s-backup-version-1.0.0-2026-01-02_03:04:05.tar"})
    void sanitiseLeavesOneHarmlessFileName(String untrusted, String expected) {
        assertEquals(expected, BackupNames.sanitise(untrusted));
    }

    @Test
    void sanitiseNeutralisesNulAndControlCharacters() {
        assertEquals("ok.tar_.._.._x", BackupNames.sanitise("ok.tar\u0000..\u0001..\nx"));
        assertEquals("backup.tar", BackupNames.sanitise(null));
        assertEquals("backup.tar", BackupNames.sanitise(""));
        assertEquals(BackupNames.MAX_LENGTH, BackupNames.sanitise("x".repeat(5000)).length());
    }

    @Test
    void checksumMustBeLowercaseHexOfSha256Length() {
        assertTrue(BackupNames.isSha256("a".repeat(64)));
        assertFalse(BackupNames.isSha256("A".repeat(64)));
        assertFalse(BackupNames.isSha256("a".repeat(63)));
        assertFalse(BackupNames.isSha256(null));
    }
}
