package io.sensorfleet.console.enrollment;

import io.sensorfleet.console.common.ProblemException;

/** Why an enrollment token was refused. */
public class EnrollmentProblem extends ProblemException {
    private EnrollmentProblem(int status, String type, String detail) {
        super(status, type, "Enrollment refused", detail);
    }

    static EnrollmentProblem unknown() {
        return new EnrollmentProblem(401, "token-unknown", "the enrollment token is not known to this console");
    }

    static EnrollmentProblem expired(java.time.Instant at) {
        return new EnrollmentProblem(401, "token-expired", "the enrollment token expired at " + at
                + "; ask an administrator for a new connection string");
    }

    static EnrollmentProblem revoked(java.time.Instant at) {
        return new EnrollmentProblem(401, "token-revoked", "the enrollment token was revoked at " + at);
    }

    static EnrollmentProblem used(java.time.Instant at) {
        return new EnrollmentProblem(409, "token-used", "the enrollment token was already used at " + at
                + "; each connection string connects one sensor");
    }
}
