package io.sensorfleet.console.common;

/**
 * Base of every error the console reports to a client. Subclasses name the kind; the single
 * {@link ProblemMapper} turns them into {@code application/problem+json} with their status.
 */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String type;
    private final String title;
    private java.time.Duration retryAfter;

    public ProblemException(int status, String type, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public int status() {
        return status;
    }

    /** Short kind, e.g. {@code token-expired}; becomes {@code urn:sensorfleet:problem:token-expired}. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
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
        return new ProblemException(400, "invalid-request", "Invalid request", detail);
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(404, "not-found", "Not found", what + " " + id + " does not exist");
    }

    public static ProblemException conflict(String type, String detail) {
        return new ProblemException(409, type, "Conflict", detail);
    }
}
