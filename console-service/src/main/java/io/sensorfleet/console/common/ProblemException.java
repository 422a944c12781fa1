package io.sensorfleet.console.common;

import io.sensorfleet.console.platform.ProblemType;

/**
 * Base of every error the console reports to a client. Its kind is an entry of {@link ProblemType}
 * (status, type, title); subclasses only name the cases of a feature. The single
 * {@link ProblemMapper} and the agent plane turn them into {@code application/problem+json}.
 */
public class ProblemException extends RuntimeException {
    private final ProblemType problem;
    private java.time.Duration retryAfter;

    public ProblemException(ProblemType problem, String detail) {
        super(detail);
        this.problem = problem;
    }

    public ProblemType problem() {
        return problem;
    }

    public int status() {
        return problem.status();
    }

    /** Short kind, e.g. {@code token-expired}; becomes {@code urn:sensorfleet:problem:token-expired}. */
    public String type() {
        return problem.slug();
    }

    public String title() {
        return problem.title();
    }

    /** How long a client should wait before trying again (sent as Retry-After), or null. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    public ProblemException withRetryAfter(java.time.Duration wait) {
        this.retryAfter = wait;
        return this;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(ProblemType.INVALID_REQUEST, detail);
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " " + id + " does not exist");
    }
}
