package io.sensorfleet.agent.client;

import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.Problem;

import java.time.Duration;
import java.util.Optional;

/** The console answered, but not with success: an HTTP error status, usually with a {@link Problem}. */
public final class ConsoleException extends ConsoleCallException {
    private final int status;
    private final transient Problem problem;
    private final Duration retryAfter;

    public ConsoleException(AgentAddress address, int status, Problem problem, Duration retryAfter) {
        super(address, describe(address, status, problem, retryAfter), null);
        this.status = status;
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public Optional<Problem> problem() {
        return Optional.ofNullable(problem);
    }

    /** From the {@code Retry-After} header (seconds) of a 429 or 503. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Overload and server errors may pass; anything else (a bad token, a revoked certificate) will not. */
    public boolean transientFailure() {
        return status == 429 || status >= 500;
    }

    private static String describe(AgentAddress address, int status, Problem problem, Duration retryAfter) {
        StringBuilder message = new StringBuilder("console at ").append(address).append(" answered ").append(status);
        if (problem != null && problem.title() != null) {
            message.append(' ').append(problem.title());
        }
        if (problem != null && problem.detail() != null) {
            message.append(": ").append(problem.detail());
        }
        if (retryAfter != null) {
            message.append(" (retry after ").append(retryAfter.toSeconds()).append(" s)");
        }
        return message.toString().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
