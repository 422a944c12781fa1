package io.sensorfleet.console.sensors;

/** Connectivity states of a sensor, with the names operators' scripts already use. */
public enum Connectivity {
    /** Reporting, clock in line, desired settings applied. */
    SYNCED,
    /** Reporting, but the desired settings are not applied (or failed to apply). */
    OUT_OF_SYNC,
    /** Reporting, but its clock differs from the console's by more than the allowed offset. */
    TIME_DIFF_OFFSET,
    /** No heartbeat for longer than the allowed number of heartbeat intervals. */
    DISCONNECTED
}
