package io.sensorfleet.console.notifications;

/** Severity of a notification, lowest first: a rule forwards its minimum and above. */
public enum Severity {
    WARNING, MINOR, MAJOR, CRITICAL;

    public boolean atLeast(Severity minimum) {
        return compareTo(minimum) >= 0;
    }
}
