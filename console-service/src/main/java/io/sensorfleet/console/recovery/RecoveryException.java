package io.sensorfleet.console.recovery;

/** A backup or restore refused for a reason the operator can act on; its message is the one line printed. */
public class RecoveryException extends RuntimeException {
    public RecoveryException(String message) {
        super(message);
    }
}
