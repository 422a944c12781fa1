package io.sensorfleet.console.updates;

import io.sensorfleet.lib.packages.UpdateManifest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the operator API shows; records only, mapped from rows by {@link UpdateQuery}. */
public final class UpdateViews {
    private UpdateViews() {
    }

    /**
     * An uploaded package.
     *
     * @param sha256 SHA-256 of the whole package file
     * @param keyId  the vendor key that signed it
     */
    public record Package(UUID id, String version, UpdateManifest manifest, long sizeBytes, String sha256, String keyId,
                          String uploadedBy, Instant uploadedAt) {
    }

    /**
     * A rollout with its sensors counted by stage.
     *
     * @param state        SCHEDULED (waiting for startAt or its window), RUNNING, PAUSED, HALTED (a failure, a
     *                     rollback or a sensor's health stopped it; see haltReason), CANCELLED, SUCCEEDED or
     *                     FINISHED_WITH_FAILURES
     * @param haltReason   why it halted, naming the sensor and the reason or check, e.g. "sensor s1: health FAILED
     *                     (check disk:/data) after its update, OK before"
     * @param currentBatch the batch being worked on; 0 is the canary group when canarySize &gt; 0
     * @param stages       number of sensors per stage (WAITING, BLOCKED, REFUSED, QUEUED … SUCCEEDED, FAILED,
     *                     ROLLED_BACK, CANCELLED)
     * @param soakSeconds  how long it waits after each batch, watching its sensors
     * @param soakUntil    the end of the soak under way, null when none is
     * @param watchSeconds the watch window sent to each sensor; null for rollouts older than the setting
     * @param startAt      not before this time; null: at once
     * @param window       the daily window sensors start in; null: any time
     * @param startedAt    when it left SCHEDULED
     * @param waitingFor   what it waits for now, if anything: its start time, its daily window, or a soak
     */
    public record Rollout(UUID id, UUID packageId, String version, String target, String state, String haltReason,
                          int canarySize, int batchSize, int maxParallel, int failureThresholdPercent, int currentBatch,
                          int batches, Map<String, Long> stages, String createdBy, Instant createdAt,
                          Instant finishedAt, int soakSeconds, Instant soakUntil, Integer watchSeconds, Instant startAt,
                          Window window, Instant startedAt, String waitingFor) {
    }

    /** A daily window: from (inclusive) to (exclusive), HH:mm local time in zone; to before from spans midnight. */
    public record Window(String from, String to, String zone) {
    }

    /**
     * One sensor of a rollout.
     *
     * @param taskId   the task id the sensor reports with
     * @param batch    its batch, null when refused
     * @param stage    where its update is
     * @param percent  progress within the stage (downloading)
     * @param reason   why it waits, was refused or failed
     * @param hasLog   whether a failure log was kept (GET …/log)
     * @param healthBefore the sensor's health when its update started (null: none reported)
     * @param haltedRollout why this sensor halted the rollout (rolled back, DISCONNECTED, health worse), if it did
     */
    public record Target(UUID taskId, UUID sensorId, String sensorName, Integer batch, String stage, Integer percent,
                         String fromVersion, String reason, int attempts, boolean hasLog, Instant stageStartedAt,
                         Instant startedAt, Instant finishedAt, String healthBefore, String haltedRollout) {
    }

    /** A sensor whose update failed or was rolled back, for the dashboard. */
    public record FailedUpdate(UUID rolloutId, UUID sensorId, String sensorName, String stage, String reason,
                               Instant finishedAt) {
    }

    /** A stage a sensor went through, and when. */
    public record StageEvent(String stage, Integer percent, String detail, Instant at) {
    }

    /** One sensor's update in a rollout with its whole history and failure log. */
    public record TargetDetail(Target target, List<StageEvent> history, String log) {
    }

    /** One update of a sensor: the rollout, the version it installs, and where it got. */
    public record SensorUpdate(UUID rolloutId, String version, Target update) {
    }

    /** How many sensors run a version. */
    public record VersionCount(String version, long sensors) {
    }

    /** The fleet by version, with the console's own version (no sensor may run a newer one). */
    public record Fleet(String consoleVersion, List<VersionCount> versions, long sensors) {
    }
}
