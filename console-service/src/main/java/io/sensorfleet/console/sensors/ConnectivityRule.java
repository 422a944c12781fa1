package io.sensorfleet.console.sensors;

/**
 * How a sensor's {@link Connectivity} follows from its row, as SQL, written once for every
 * statement that changes it (heartbeats, settings changes and acknowledgements). The sweeper's
 * DISCONNECTED needs no rule: it is the absence of heartbeats.
 * <ul>
 *   <li>A heartbeat sets TIME_DIFF_OFFSET when the sensor's clock is off by more than the allowed
 *   offset, else the settings state.</li>
 *   <li>The settings state is OUT_OF_SYNC while the applied revision differs from the desired one,
 *   the sensor reports drift, or its last attempt to apply failed; else SYNCED.</li>
 *   <li>A settings change or acknowledgement moves only between SYNCED and OUT_OF_SYNC: a
 *   disconnected or clock-skewed sensor keeps its state until its next heartbeat.</li>
 * </ul>
 * The arguments are SQL expressions for the values after the statement (in an {@code UPDATE} the
 * columns still hold the old ones, so a changed value is passed as its new expression).
 */
final class ConnectivityRule {
    private ConnectivityRule() {
    }

    /** The settings state from the applied and desired revisions, the drift and the last apply error. */
    static String settingsState(String applied, String desired, String drift, String error) {
        return "(case when " + applied + " <> " + desired + " or " + drift + " is not null or " + error
                + " is not null then 'OUT_OF_SYNC' else 'SYNCED' end)";
    }

    /** The state after a heartbeat of sensor row {@code s}; the allowed offset (ms) is one {@code ?} parameter. */
    static String onHeartbeat(String offsetMs) {
        return "(case when abs(" + offsetMs + ") > ? then 'TIME_DIFF_OFFSET' else "
                + settingsState("s.applied_settings_revision", "s.desired_settings_revision", "s.settings_drift",
                "s.settings_error") + " end)";
    }

    /** The state after a settings change or acknowledgement of a sensor now in {@code current}. */
    static String onSettings(String current, String settingsState) {
        return "(case when " + current + " in ('SYNCED', 'OUT_OF_SYNC') then " + settingsState + " else " + current + " end)";
    }

    /** {@code connectivity_since}: {@code at} when the state changes, else as it was. */
    static String since(String current, String next, String previousSince, String at) {
        return "(case when " + next + " <> " + current + " then " + at + " else " + previousSince + " end)";
    }
}
