package io.sensorfleet.lib.activation;

/** Why an activation file is refused; the message is for the operator who tried to install it. */
public final class ActivationException extends Exception {
    /** Why an activation file is refused: each case an operator troubleshoots differently, with its own message. */
    public enum Reason { NOT_AN_ACTIVATION_FILE, TAMPERED, UNKNOWN_KEY, OTHER_SENSOR, CONSOLE_UNREACHABLE, REJECTED_BY_CONSOLE }

    private final Reason reason;

    public ActivationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
