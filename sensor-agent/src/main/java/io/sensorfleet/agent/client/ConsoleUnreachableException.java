package io.sensorfleet.agent.client;

import io.sensorfleet.protocol.v1.enrollment.AgentAddress;

/** No answer from the console: connection refused, timeout, DNS, or a TLS handshake that failed. */
public class ConsoleUnreachableException extends ConsoleCallException {
    public ConsoleUnreachableException(AgentAddress address, String message, Throwable cause) {
        super(address, message, cause);
    }
}
