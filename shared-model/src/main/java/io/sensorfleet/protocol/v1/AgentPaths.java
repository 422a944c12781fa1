package io.sensorfleet.protocol.v1;

import io.sensorfleet.protocol.v1.activation.ActivationInstalled;
import io.sensorfleet.protocol.v1.activation.ActivationKeyList;
import io.sensorfleet.protocol.v1.alerts.AlertReceipt;
import io.sensorfleet.protocol.v1.alerts.AlertReport;
import io.sensorfleet.protocol.v1.backup.BackupTask;
import io.sensorfleet.protocol.v1.backup.BackupTaskResult;
import io.sensorfleet.protocol.v1.backup.BackupUploadRequest;
import io.sensorfleet.protocol.v1.backup.BackupUploadStatus;
import io.sensorfleet.protocol.v1.enrollment.EnrollRequest;
import io.sensorfleet.protocol.v1.enrollment.EnrollResponse;
import io.sensorfleet.protocol.v1.enrollment.RenewRequest;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatResponse;
import io.sensorfleet.protocol.v1.settings.SettingsAck;
import io.sensorfleet.protocol.v1.settings.SettingsPush;
import io.sensorfleet.protocol.v1.update.UpdateProgress;
import io.sensorfleet.protocol.v1.update.UpdateTask;

/** Paths of the agent plane (HTTPS, default port 9443). All but {@link #ENROLL} and {@link #CRL} need the sensor's client certificate. */
public final class AgentPaths {
    private AgentPaths() {
    }

    public static final String BASE = "/agent/v1";
    /** POST {@link EnrollRequest} → {@link EnrollResponse}; authenticated by the one-time token. */
    public static final String ENROLL = BASE + "/enroll";
    /** POST {@link HeartbeatRequest} → {@link HeartbeatResponse}. */
    public static final String HEARTBEAT = BASE + "/heartbeat";
    /** POST {@link RenewRequest} → {@link EnrollResponse} with a new certificate for the same sensor. */
    public static final String RENEW = BASE + "/renew";
    /**
     * GET {@code ?known=<revision>&waitSeconds=<1..55>} → {@link SettingsPush} as soon as the sensor's desired
     * revision differs from {@code known}, or 204 after the wait: a long-poll, so a change reaches the
     * sensor in about a second, not at its next heartbeat.
     */
    public static final String SETTINGS = BASE + "/settings";
    /** POST {@link SettingsAck} → 204. */
    public static final String SETTINGS_ACK = BASE + "/settings/ack";
    /** GET → {@link ActivationKeyList}: the keys activation files may be signed with. */
    public static final String ACTIVATION_KEYS = BASE + "/activation/keys";
    /** POST {@link ActivationInstalled} → 204, or a problem when the console rejects the file. */
    public static final String ACTIVATION = BASE + "/activation";
    /** POST {@link AlertReport} → {@link AlertReceipt}; an alert resent with the same id is accepted once. */
    public static final String ALERTS = BASE + "/alerts";
    /**
     * GET {@code ?settingsKnown=<revision>&waitSeconds=<0..55>} → {@link io.sensorfleet.protocol.v1.work.Work}
     * as soon as the console has anything for this sensor (settings whose revision differs from
     * {@code settingsKnown}, a backup or restore task, an update task), or 204 after the wait. The one
     * long-poll an agent keeps open; it replaces {@link #SETTINGS}, {@link #BACKUP_TASKS} and
     * {@link #UPDATE_TASKS}, which stay for agents not yet updated.
     */
    public static final String WORK = BASE + "/work";

    /** GET → the console CA's current CRL, DER ({@code application/pkix-crl}). */
    public static final String CRL = BASE + "/crl";
    /**
     * GET {@code ?waitSeconds=<0..55>} → {@link BackupTask} when the console wants a backup or a restore from
     * this sensor, or 204 after the wait: a long-poll like {@link #SETTINGS}, so "back up now" starts at once.
     */
    public static final String BACKUP_TASKS = BASE + "/backups/tasks";
    /** POST {@link BackupTaskResult} → 204: how a restore ended, or why a backup could not be taken. */
    public static final String BACKUP_RESULTS = BASE + "/backups/results";
    /**
     * POST {@link BackupUploadRequest} → {@link BackupUploadStatus}: starts the upload of a backup for a task, or,
     * sent again, tells how many bytes the console already has so an interrupted upload resumes there.
     */
    public static final String BACKUP_UPLOADS = BASE + "/backups/uploads";
    /** Prefix of {@link #backupContent(java.util.UUID)}. */
    public static final String BACKUP_CONTENT = BASE + "/backups/content";

    /**
     * PUT {@code ?offset=<received>} with the file's bytes from that offset on ({@code application/octet-stream})
     * → {@link BackupUploadStatus}. Streamed to storage; when the last byte arrives the console checks the SHA-256
     * and answers 422 {@code checksum-mismatch} if it differs.
     */
    public static String backupUpload(java.util.UUID uploadId) {
        return BACKUP_UPLOADS + "/" + uploadId;
    }

    /**
     * GET → the stored backup (with {@code Range: bytes=<from>-}, the rest of it, 206), only for a RESTORE task
     * the console gave this sensor.
     */
    public static String backupContent(java.util.UUID backupId) {
        return BACKUP_CONTENT + "/" + backupId;
    }

    /**
     * GET {@code ?waitSeconds=<0..55>} → {@link UpdateTask} when a rollout wants this sensor updated, or 204 after
     * the wait: a long-poll like {@link #BACKUP_TASKS}.
     */
    public static final String UPDATE_TASKS = BASE + "/updates/tasks";
    /**
     * POST {@link UpdateProgress} → 204; 409 {@code update-task-ended} when the console has ended the task
     * (cancelled or timed out), so the sensor stops working on it.
     */
    public static final String UPDATE_PROGRESS = BASE + "/updates/progress";
    /** Prefix of {@link #updatePackage(java.util.UUID)}. */
    public static final String UPDATE_PACKAGES = BASE + "/updates/packages";

    /**
     * GET → the package file (with {@code Range: bytes=<from>-}, the rest of it, 206), only while this sensor has an
     * update task for it.
     */
    public static String updatePackage(java.util.UUID packageId) {
        return UPDATE_PACKAGES + "/" + packageId;
    }
}
