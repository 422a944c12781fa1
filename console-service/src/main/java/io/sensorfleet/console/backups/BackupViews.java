package io.sensorfleet.console.backups;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** What the operator API shows; records only, mapped from rows by {@link BackupQuery}. */
public final class BackupViews {
    private BackupViews() {
    }

    /**
     * A stored backup, or one being uploaded.
     *
     * @param fileName         the sensor's name for it, sanitised
     * @param state            STORED, or UPLOADING while it arrives
     * @param uploadAttempts   how many times the sensor started or resumed the upload
     * @param resumedFromBytes where the last resumed upload continued, if one was resumed
     */
    public record Backup(UUID id, UUID sensorId, String sensorName, String fileName, String softwareVersion,
                         Instant takenAt, long sizeBytes, String sha256, String state, long receivedBytes,
                         int uploadAttempts, Long resumedFromBytes, Instant createdAt, Instant storedAt) {
    }

    /** A backup or restore for one sensor: PENDING, OFFERED (handed to the sensor), RUNNING, DONE or FAILED. */
    public record Task(UUID id, UUID collectionId, UUID sensorId, String sensorName, String action, UUID backupId,
                       String state, String failureKind, String reason, Long bytesTotal, long bytesDone,
                       Instant createdAt, Instant startedAt, Instant finishedAt) {
    }

    /** Counts of a collection's tasks by state, and bytes moved. {@code finished} once none is active. */
    public record Progress(int pending, int running, int done, int failed, long bytesDone, long bytesTotal,
                           boolean finished) {
    }

    /** A collection run: the daily one (trigger SCHEDULE) or one an operator started (ON_DEMAND). */
    public record Collection(UUID id, String trigger, LocalDate scheduledFor, String target, String requestedBy,
                             Instant createdAt, Progress progress) {
    }

    /** One failure: what (BACKUP or RESTORE), which kind, why, when. */
    public record Failure(long id, UUID sensorId, String sensorName, UUID taskId, UUID backupId, String action,
                          String kind, String reason, Instant at) {
    }

    /**
     * One sensor's backups at a glance.
     *
     * @param allocationBytes  space its stored backups may take (its own allocation or the default)
     * @param customAllocation true when an admin set it for this sensor
     * @param usedBytes        space its stored backups take
     * @param lastBackupAt     when the newest stored backup arrived
     * @param activeTask       the backup or restore under way, if any
     * @param recentFailures   the last few failures, newest first
     */
    public record SensorSummary(UUID sensorId, long allocationBytes, boolean customAllocation, long usedBytes,
                                Instant lastBackupAt, List<Backup> backups, Task activeTask,
                                List<Failure> recentFailures) {
    }

    /** A sensor's allocation after a change. */
    public record Allocation(UUID sensorId, long bytes, boolean custom) {
    }
}
