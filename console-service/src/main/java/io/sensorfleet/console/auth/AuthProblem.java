package io.sensorfleet.console.auth;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.common.ProblemException;

import java.time.Duration;

/** Refusals of the authentication feature. */
public class AuthProblem extends ProblemException {
    private AuthProblem(ProblemType type, String detail, Duration retryAfter) {
        super(type, detail);
        withRetryAfter(retryAfter);
    }

    static AuthProblem invalidCredentials() {
        return new AuthProblem(ProblemType.INVALID_CREDENTIALS,
                "unknown user, wrong password or disabled account", null);
    }

    static AuthProblem throttled(Duration remaining) {
        return new AuthProblem(ProblemType.TOO_MANY_FAILED_LOGINS, "too many failed logins from your address; try "
                + "again in " + Math.max(1, remaining.toSeconds()) + " s", remaining);
    }

    static AuthProblem weakPassword(int min) {
        return new AuthProblem(ProblemType.WEAK_PASSWORD,
                "password: at least " + min + " characters, not the user name", null);
    }

    static AuthProblem wrongCurrentPassword() {
        return new AuthProblem(ProblemType.WRONG_PASSWORD, "currentPassword does not match", null);
    }
}
