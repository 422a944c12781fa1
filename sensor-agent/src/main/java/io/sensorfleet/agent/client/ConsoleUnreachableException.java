package io.sensorfleet.agent.client;

import io.sensorfleet.protocol.v1.enrollment.AgentAddress;

/** No answer from the console: connection refused, timeout, DNS, or a TLS handshake that failed. */
public class ConsoleUnreachableException extends ConsoleCallException {
    private final boolean refused;

    public ConsoleUnreachableException(AgentAddress address, String message, Throwable cause) {
        this(address, message, cause, false);
    }

    /** @param refused nothing listens at the address (the console is down): the connection was refused */
    public ConsoleUnreachableException(AgentAddress address, String message, Throwable cause, boolean refused) {
        super(address, message, cause);
        this.refused = refused;
    }

    /**
     * Whether the connection was refused: nothing listens at the address, so trying again costs the
     * console nothing (as opposed to a timeout or a cut handshake, signs of a console too busy).
     */
    public boolean refused() {
        return refused;
    }
}
