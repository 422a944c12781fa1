package io.sensorfleet.console.enrollment;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.common.ProblemException;

/** Why an enrollment token was refused. */
public class EnrollmentProblem extends ProblemException {
    private EnrollmentProblem(ProblemType type, String detail) {
        super(type, detail);
    }

    static EnrollmentProblem unknown() {
        return new EnrollmentProblem(ProblemType.TOKEN_UNKNOWN, "the enrollment token is not known to this console");
    }

    static EnrollmentProblem expired(java.time.Instant at) {
        return new EnrollmentProblem(ProblemType.TOKEN_EXPIRED, "the enrollment token expired at " + at
                + "; ask an administrator for a new connection string");
    }

    static EnrollmentProblem revoked(java.time.Instant at) {
        return new EnrollmentProblem(ProblemType.TOKEN_REVOKED, "the enrollment token was revoked at " + at);
    }

    static EnrollmentProblem used(java.time.Instant at) {
        return new EnrollmentProblem(ProblemType.TOKEN_USED, "the enrollment token was already used at " + at
                + "; each connection string connects one sensor");
    }
}
