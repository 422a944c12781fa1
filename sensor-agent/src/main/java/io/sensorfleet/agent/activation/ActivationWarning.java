package io.sensorfleet.agent.activation;

import java.time.Duration;
import java.time.Instant;

/** The expiry warning: from one month before expiry until a new file is installed. */
public final class ActivationWarning {
    static final Duration AHEAD = Duration.ofDays(30);

    private ActivationWarning() {
    }

    /** EXPIRED, EXPIRING or null. */
    public static String of(Instant expiresAt, Instant now) {
        if (expiresAt == null) {
            return null;
        }
        if (!now.isBefore(expiresAt)) {
            return "EXPIRED";
        }
        return now.plus(AHEAD).isBefore(expiresAt) ? null : "EXPIRING";
    }
}
