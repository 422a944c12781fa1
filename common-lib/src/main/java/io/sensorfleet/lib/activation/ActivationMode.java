package io.sensorfleet.lib.activation;

/** How a sensor is managed (seed). */
public enum ActivationMode {
    /** Managed on the sensor itself; the file has an expiry date. */
    LOCALLY_MANAGED,
    /** Bound to this console; the file does not expire. */
    CONSOLE_CONNECTED
}
