package io.sensorfleet.agent.client;

import io.sensorfleet.protocol.v1.enrollment.AgentAddress;

/**
 * The server at an address is not the console of the connection string: its chain holds no CA with
 * the pinned fingerprint. Nothing was sent to it.
 */
public final class CaMismatchException extends ConsoleUnreachableException {
    private final String presentedFingerprint;
    private final String expectedFingerprint;

    CaMismatchException(AgentAddress address, CaNotPinnedException cause) {
        super(address, "console at " + address + " " + cause.getMessage(), cause);
        this.presentedFingerprint = cause.presentedFingerprint();
        this.expectedFingerprint = cause.expectedFingerprint();
    }

    public String presentedFingerprint() {
        return presentedFingerprint;
    }

    public String expectedFingerprint() {
        return expectedFingerprint;
    }
}
