package io.sensorfleet.agent.identity;

import io.sensorfleet.agent.AgentException;

/** The state dir cannot be read or written, or holds something unusable. */
public final class StateDirException extends AgentException {
    public StateDirException(String message, Throwable cause) {
        super(message, cause);
    }
}
