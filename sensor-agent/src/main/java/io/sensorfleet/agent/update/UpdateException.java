package io.sensorfleet.agent.update;

/** An update that cannot go on, with a reason for the operator and, optionally, a log to keep. */
public final class UpdateException extends Exception {
    private final String log;

    UpdateException(String message, String log) {
        super(message);
        this.log = log;
    }

    UpdateException(String message) {
        this(message, null);
    }

    String log() {
        return log;
    }
}
