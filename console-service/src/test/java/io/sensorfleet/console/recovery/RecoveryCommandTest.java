package io.sensorfleet.console.recovery;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryCommandTest {
    @Test
    void optionsAreCheckedBeforeAnythingRuns() {
        assertEquals(Map.of("--output", "/srv/b.tar"), RecoveryCommand.options(List.of("backup", "--output", "/srv/b.tar")));
        assertThrows(RecoveryCommand.UsageException.class, () -> RecoveryCommand.options(List.of("backup", "--archive", "x")));
        assertThrows(RecoveryCommand.UsageException.class, () -> RecoveryCommand.options(List.of("restore", "--archive")));
        assertThrows(RecoveryCommand.UsageException.class,
                () -> RecoveryCommand.options(List.of("restore", "--archive", "a", "--archive", "b")));
        // A passphrase is never an option: it would be visible in the process list.
        assertThrows(RecoveryCommand.UsageException.class,
                () -> RecoveryCommand.options(List.of("backup", "--output", "o", "--passphrase", "secret")));
    }

    @Test
    void theDatabaseIsTheConsolesOwnAndNoDatabaseIsAClearError() {
        RecoverySettings s = RecoverySettings.from(Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://db.example:5433/fleet",
                "quarkus.datasource.username", "sf", "sensorfleet.backups.storage-dir", "/srv/backups")::get);
        assertEquals("sf", s.dbUser());
        assertEquals("/srv/backups", s.backupsDir().toString());
        assertEquals("/var/lib/sensorfleet/updates", s.updatesDir().toString());
        assertTrue(s.masterKey().isEmpty());
        assertEquals("SENSORFLEET_BACKUPS_STORAGE_DIR", RecoverySettings.envName("sensorfleet.backups.storage-dir"));

        RecoveryException e = assertThrows(RecoveryException.class, () -> RecoverySettings.from(Map.<String, String>of()::get));
        assertTrue(e.getMessage().contains("QUARKUS_DATASOURCE_JDBC_URL"), e.getMessage());
    }

    @Test
    void jdbcUrlsBecomeLibpqEnvironmentIncludingSeveralHosts() {
        assertEquals(Map.of("PGHOST", "127.0.0.1", "PGPORT", "5432", "PGDATABASE", "sensorfleet"),
                PgTools.libpqEnvironment("jdbc:postgresql://127.0.0.1/sensorfleet"));
        Map<String, String> ha = PgTools.libpqEnvironment(
                "jdbc:postgresql://pg1.example:5433,pg2.example:5434/fleet?targetServerType=primary&sslmode=verify-full");
        assertEquals("pg1.example,pg2.example", ha.get("PGHOST"));
        assertEquals("5433,5434", ha.get("PGPORT"));
        assertEquals("fleet", ha.get("PGDATABASE"));
        assertEquals("read-write", ha.get("PGTARGETSESSIONATTRS"));
        assertEquals("verify-full", ha.get("PGSSLMODE"));
        assertThrows(RecoveryException.class, () -> PgTools.libpqEnvironment("jdbc:mysql://x/y"));
    }

    @Test
    void storageNamesWithPathTricksAreNotArchiveNames() {
        assertTrue(ArchiveLayout.isStorageName("storage/backups/3f2a-11/ab_backup-version-1.0.0-20261204.tar.gz"));
        assertTrue(ArchiveLayout.isStorageName("storage/updates/0c9e/package.pkg"));
        for (String bad : List.of("storage/backups/../../etc/passwd", "storage/backups/a/../b", "/storage/backups/a",
                "storage/other/a", "storage/backups/.hidden", "storage/backups/a//b", "storage/backups/a b")) {
            assertFalse(ArchiveLayout.isStorageName(bad), bad);
        }
    }
}
