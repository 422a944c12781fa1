package io.sensorfleet.console.backups;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.protocol.v1.BackupFailureKind;

/** Refusals of the backups feature, on both planes. */
public class BackupProblem extends ProblemException {
    private BackupProblem(int status, String type, String title, String detail) {
        super(status, type, title, detail);
    }

    /** A failure that ended a task, as the sensor sees it; the failure is recorded already. */
    static BackupProblem of(BackupFailureKind kind, String detail) {
        return switch (kind) {
            case ALLOCATION_EXCEEDED -> new BackupProblem(409, "allocation-exceeded", "Allocation exceeded", detail);
            case NO_SPACE -> new BackupProblem(507, "no-space", "Insufficient storage", detail);
            case STORAGE_UNAVAILABLE -> new BackupProblem(503, "storage-unavailable", "Storage unavailable", detail);
            case CHECKSUM_MISMATCH -> new BackupProblem(422, "checksum-mismatch", "Checksum mismatch", detail);
            case NOT_FOUND -> new BackupProblem(404, "backup-not-found", "Backup not found", detail);
            case VERSION_MISMATCH -> new BackupProblem(409, "version-mismatch", "Version mismatch", detail);
            default -> new BackupProblem(409, "backup-failed", "Backup failed", detail);
        };
    }

    static BackupProblem busy(String detail) {
        return new BackupProblem(409, "sensor-busy", "Sensor busy", detail);
    }

    static BackupProblem taskEnded(String detail) {
        return new BackupProblem(409, "task-ended", "Task ended", detail);
    }

    static BackupProblem offsetMismatch(long have) {
        return new BackupProblem(409, "offset-mismatch", "Offset mismatch", "the console holds " + have
                + " bytes of this upload; ask for the upload's status and send the rest from there");
    }

    static BackupProblem inUse(String detail) {
        return new BackupProblem(409, "backup-in-use", "Backup in use", detail);
    }
}
