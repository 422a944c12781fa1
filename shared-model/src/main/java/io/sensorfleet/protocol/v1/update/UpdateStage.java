package io.sensorfleet.protocol.v1.update;

/** Where a sensor's update is, in the order the stages happen; the last three end it. */
public enum UpdateStage {
    /** The console wants the sensor to update; the sensor has not started yet. */
    QUEUED,
    /** The package is being downloaded ({@code percent} of it so far). */
    DOWNLOADING,
    /** A local backup of configuration and data is being taken. */
    BACKING_UP,
    /** Signature, manifest and payload digest are being checked. */
    VERIFYING,
    /** The payload is unpacked into its version directory and the current version switched to it. */
    INSTALLING,
    /** The new version's health check runs. */
    VALIDATING,
    SUCCEEDED,
    /** It ended before the switch (download, verification, backup…): the old version never stopped. */
    FAILED,
    /** The new version was installed but failed (health check, interrupted switch): the old one is back. */
    ROLLED_BACK;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == ROLLED_BACK;
    }

    /** A stage the sensor is working in (the console times these out). */
    public boolean inProgress() {
        return !terminal() && this != QUEUED;
    }
}
