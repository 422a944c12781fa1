package io.sensorfleet.agent.backup;

import io.sensorfleet.agent.AgentException;
import io.sensorfleet.protocol.v1.backup.BackupFailureKind;

/** A backup or restore that did not happen, with the kind the console records it as. */
public class BackupException extends AgentException {
    private final BackupFailureKind kind;

    public BackupException(BackupFailureKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BackupException(BackupFailureKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public BackupFailureKind kind() {
        return kind;
    }
}
