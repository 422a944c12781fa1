package io.sensorfleet.protocol.v1.backup;

/**
 * Why a backup or a restore did not happen. The console records each with the sensor, the time and
 * a reason for a person to read; the agent reports the kinds that arise on the sensor.
 */
public enum BackupFailureKind {
    /** The backup to collect or restore does not exist (e.g. backups disabled on the sensor, file gone from storage). */
    NOT_FOUND,
    /** The transfer broke off and did not resume in time, or the sensor never asked for the work. */
    NETWORK_FAILURE,
    /** The console's backup storage has too little free space. */
    NO_SPACE,
    /** The console cannot write to its backup storage (e.g. a share that is not mounted). */
    STORAGE_UNAVAILABLE,
    /** The bytes received do not have the SHA-256 the sender announced. */
    CHECKSUM_MISMATCH,
    /** The backup does not fit in the sensor's storage allocation on the console. */
    ALLOCATION_EXCEEDED,
    /** The backup was taken with another software version than the sensor runs (restore only between the same versions). */
    VERSION_MISMATCH,
    /** The sensor could not take the backup or apply the restore; the reason says why. */
    SENSOR_ERROR
}
