package io.sensorfleet.agent.identity;

import io.sensorfleet.agent.AgentException;

/** The state dir holds no identity: the sensor has not been connected to a console. */
public final class NotConnectedException extends AgentException {
    public NotConnectedException() {
        super("not connected: run 'sensor-agent connect <connection-string>' first");
    }
}
