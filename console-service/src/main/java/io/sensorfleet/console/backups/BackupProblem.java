package io.sensorfleet.console.backups;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.protocol.v1.backup.BackupFailureKind;

/** Refusals of the backups feature, on both planes. */
public class BackupProblem extends ProblemException {
    private BackupProblem(ProblemType type, String detail) {
        super(type, detail);
    }

    /** A failure that ended a task, as the sensor sees it; the failure is recorded already. */
    static BackupProblem of(BackupFailureKind kind, String detail) {
        return switch (kind) {
            case ALLOCATION_EXCEEDED -> new BackupProblem(ProblemType.ALLOCATION_EXCEEDED, detail);
            case NO_SPACE -> new BackupProblem(ProblemType.NO_SPACE, detail);
            case STORAGE_UNAVAILABLE -> new BackupProblem(ProblemType.STORAGE_UNAVAILABLE, detail);
            case CHECKSUM_MISMATCH -> new BackupProblem(ProblemType.CHECKSUM_MISMATCH, detail);
            case NOT_FOUND -> new BackupProblem(ProblemType.BACKUP_NOT_FOUND, detail);
            case VERSION_MISMATCH -> new BackupProblem(ProblemType.VERSION_MISMATCH, detail);
            default -> new BackupProblem(ProblemType.BACKUP_FAILED, detail);
        };
    }

    static BackupProblem busy(String detail) {
        return new BackupProblem(ProblemType.SENSOR_BUSY, detail);
    }

    static BackupProblem taskEnded(String detail) {
        return new BackupProblem(ProblemType.TASK_ENDED, detail);
    }

    static BackupProblem offsetMismatch(long have) {
        return new BackupProblem(ProblemType.OFFSET_MISMATCH, "the console holds " + have
                + " bytes of this upload; ask for the upload's status and send the rest from there");
    }

    static BackupProblem inUse(String detail) {
        return new BackupProblem(ProblemType.BACKUP_IN_USE, detail);
    }
}
