package io.sensorfleet.agent.client;

import java.net.http.HttpHeaders;
import java.time.Duration;

/** The {@code Retry-After} header in its delta-seconds form, the one the console sends. */
final class RetryAfter {
    /** Longer than any sensible overload pause; guards against a corrupt header stopping the agent for days. */
    static final Duration MAX = Duration.ofHours(1);

    private RetryAfter() {
    }

    static Duration parse(HttpHeaders headers) {
        return headers.firstValue("Retry-After")
                .map(String::strip)
                .filter(v -> v.matches("[0-9]{1,9}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v)))
                .map(d -> d.compareTo(MAX) > 0 ? MAX : d)
                .orElse(null);
    }
}
