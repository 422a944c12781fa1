package io.sensorfleet.agent.client;

import io.sensorfleet.protocol.v1.enrollment.AgentAddress;

/**
 * A call to the console that did not succeed. Checked, because every caller must decide whether
 * to try the next console address.
 */
public abstract class ConsoleCallException extends Exception {
    private final transient AgentAddress address;

    ConsoleCallException(AgentAddress address, String message, Throwable cause) {
        super(message, cause);
        this.address = address;
    }

    /** The console address that was called. */
    public AgentAddress address() {
        return address;
    }
}
