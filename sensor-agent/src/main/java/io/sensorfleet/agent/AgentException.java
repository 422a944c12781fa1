package io.sensorfleet.agent;

/**
 * A failure the agent expects and can explain: its message is one line for an operator to read
 * ({@code error: <message>} on the CLI), never a stack trace.
 */
public class AgentException extends RuntimeException {
    public AgentException(String message) {
        super(message);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
