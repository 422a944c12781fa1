package io.sensorfleet.agent.alerts;

import io.sensorfleet.protocol.v1.alerts.AlertReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertOutboxTest {
    @TempDir
    Path tmp;

    private static AlertReport alert(String title, Instant at) {
        return new AlertReport(UUID.randomUUID().toString(), title, AlertReport.Severity.MAJOR, "Malware", "SMB",
                "10.0.0.1", "10.0.0.2", at);
    }

    @Test
    void queuedAlertsSurviveAsOneFileEachAndComeBackOldestFirst() throws Exception {
        Path state = tmp.resolve("state");
        AlertReport later = alert("later", Instant.parse("2026-01-01T10:00:05Z"));
        AlertReport earlier = alert("earlier", Instant.parse("2026-01-01T10:00:00Z"));
        new AlertOutbox(state).enqueue(later);
        new AlertOutbox(state).enqueue(earlier);

        AlertOutbox reopened = new AlertOutbox(state);

        assertEquals(List.of(earlier, later), reopened.pending().stream().map(AlertOutbox.Queued::alert).toList());
        assertTrue(Files.exists(state.resolve("outbox").resolve(later.alertId() + ".json")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        try (var files = Files.list(state.resolve("outbox"))) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void removedAlertIsGoneAndARejectedOneIsKeptAsideWithItsReason() throws Exception {
        AlertOutbox outbox = new AlertOutbox(tmp);
        outbox.enqueue(alert("sent", Instant.now()));
        outbox.enqueue(alert("refused", Instant.now().plusSeconds(1)));
        List<AlertOutbox.Queued> queued = outbox.pending();

        outbox.remove(queued.get(0));
        outbox.reject(queued.get(1), "console answered 400: title too long");

        assertTrue(outbox.isEmpty());
        Path rejected = tmp.resolve("outbox/rejected").resolve(queued.get(1).file().getFileName());
        assertTrue(Files.exists(rejected));
        assertTrue(Files.readString(Path.of(rejected + ".reason")).contains("title too long"));
    }

    @Test
    void unreadableFileIsMovedAsideInsteadOfBlockingTheOutbox() throws Exception {
        AlertOutbox outbox = new AlertOutbox(tmp);
        outbox.enqueue(alert("good", Instant.now()));
        Files.writeString(tmp.resolve("outbox/broken.json"), "{ not json");

        assertEquals(List.of("good"), outbox.pending().stream().map(q -> q.alert().title()).toList());
        assertTrue(Files.exists(tmp.resolve("outbox/rejected/broken.json")));
    }

    @Test
    void alertIdThatIsNotSafeAsAFileNameIsRefused() {
        AlertOutbox outbox = new AlertOutbox(tmp);
        assertThrows(IllegalArgumentException.class, () -> outbox.enqueue(new AlertReport("../escape", "t",
                AlertReport.Severity.MINOR, null, null, null, null, Instant.now())));
    }
}
