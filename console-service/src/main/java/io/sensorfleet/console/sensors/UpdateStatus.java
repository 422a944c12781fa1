package io.sensorfleet.console.sensors;

/**
 * The stage of a sensor's latest update target, as the inventory filters by it: a stage of the
 * update protocol, one a rollout gives a target before or instead of updating it (WAITING for its
 * batch, BLOCKED on an activation file, REFUSED because the package does not apply, CANCELLED),
 * or NONE for a sensor no rollout ever targeted.
 */
public enum UpdateStatus {
    NONE, WAITING, BLOCKED, REFUSED, CANCELLED, QUEUED, DOWNLOADING, BACKING_UP, VERIFYING, INSTALLING, VALIDATING,
    SUCCEEDED, FAILED, ROLLED_BACK
}
