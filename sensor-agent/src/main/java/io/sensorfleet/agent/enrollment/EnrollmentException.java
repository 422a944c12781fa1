package io.sensorfleet.agent.enrollment;

import io.sensorfleet.agent.AgentException;

import java.time.Duration;
import java.util.Optional;

/** Enrollment did not happen; nothing was stored. */
public class EnrollmentException extends AgentException {
    private final Duration retryAfter;

    public EnrollmentException(String message, Throwable cause) {
        this(message, cause, null);
    }

    public EnrollmentException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** Set when the console was busy (429/503) and said when to come back. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
