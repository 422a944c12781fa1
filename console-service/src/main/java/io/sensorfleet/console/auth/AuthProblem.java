package io.sensorfleet.console.auth;

import io.sensorfleet.console.common.ProblemException;

import java.time.Duration;

/** Refusals of the authentication feature. */
public class AuthProblem extends ProblemException {
    private AuthProblem(int status, String type, String title, String detail, Duration retryAfter) {
        super(status, type, title, detail);
        withRetryAfter(retryAfter);
    }

    static AuthProblem invalidCredentials() {
        return new AuthProblem(401, "invalid-credentials", "Invalid credentials",
                "unknown user, wrong password or disabled account", null);
    }

    static AuthProblem throttled(Duration remaining) {
        return new AuthProblem(429, "too-many-failed-logins", "Too many failed logins", "too many failed logins "
                + "from your address; try again in " + Math.max(1, remaining.toSeconds()) + " s", remaining);
    }

    static AuthProblem weakPassword(int min) {
        return new AuthProblem(400, "weak-password", "Weak password",
                "password: at least " + min + " characters, not the user name", null);
    }

    static AuthProblem wrongCurrentPassword() {
        return new AuthProblem(403, "wrong-password", "Wrong password", "currentPassword does not match", null);
    }
}
