package io.sensorfleet.agent.enrollment;

import io.sensorfleet.agent.identity.Identity;

/** {@code connect} without {@code --force} on a sensor that already has an identity. */
public final class AlreadyConnectedException extends EnrollmentException {
    public AlreadyConnectedException(Identity identity) {
        super("already connected as " + identity.sensorName() + " (sensor id " + identity.sensorId() + ") to "
                + String.join(", ", identity.addresses()) + "; use --force to replace this identity", null);
    }
}
