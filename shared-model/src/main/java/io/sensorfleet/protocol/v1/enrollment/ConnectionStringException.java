package io.sensorfleet.protocol.v1.enrollment;

/** A connection string that cannot be used; the message says what is wrong, for an operator to read. */
public final class ConnectionStringException extends IllegalArgumentException {
    public ConnectionStringException(String message) {
        super("invalid connection string: " + message);
    }
}
