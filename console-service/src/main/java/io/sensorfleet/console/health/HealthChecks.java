package io.sensorfleet.console.health;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.HealthCheck;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/** Rules about the health checks a sensor reports: what is accepted, what counts as a change, how failing ones read. */
public final class HealthChecks {
    public static final int MAX_CHECKS = 64;
    private static final int MAX_NAME = 128;
    private static final int MAX_MESSAGE = 512;
    private static final int MAX_OBSERVED = 128;

    private HealthChecks() {
    }

    /**
     * Refuses (400) checks the protocol does not allow. Called on the request path, so that one
     * malformed heartbeat never spoils the batched write of everyone's.
     */
    public static void validate(Health health) {
        List<HealthCheck> checks = health.checks();
        if (checks == null) {
            return;
        }
        if (checks.size() > MAX_CHECKS) {
            throw ProblemException.badRequest("health.checks: at most " + MAX_CHECKS + " entries");
        }
        for (HealthCheck c : checks) {
            if (c == null || c.name() == null || c.name().isBlank() || c.name().length() > MAX_NAME || c.status() == null) {
                throw ProblemException.badRequest("health.checks: each needs a name (at most " + MAX_NAME
                        + " characters) and a status OK, DEGRADED or FAILED");
            }
            if ((c.message() != null && c.message().length() > MAX_MESSAGE)
                    || (c.observed() != null && c.observed().length() > MAX_OBSERVED)) {
                throw ProblemException.badRequest("health.checks[" + c.name() + "]: message at most " + MAX_MESSAGE
                        + " characters, observed at most " + MAX_OBSERVED);
            }
        }
    }

    /** The checks by name (the order in which they are stored and shown). */
    static List<HealthCheck> sorted(Health health) {
        return health.checks() == null ? List.of()
                : health.checks().stream().sorted(Comparator.comparing(HealthCheck::name)).toList();
    }

    /**
     * What must differ for the stored health to be rewritten: the status, and each check's name and
     * status, and its message when it is not OK. An OK check's message carries a measured value
     * (memory in use, load) that moves every run and is not worth a write per heartbeat.
     */
    static String fingerprint(Health health) {
        StringBuilder b = new StringBuilder(health.status().name());
        if (health.status() != Health.Status.OK && health.detail() != null) {
            b.append('\u0000').append(health.detail());
        }
        for (HealthCheck c : sorted(health)) {
            b.append('\n').append(c.name()).append('\u0000').append(c.status());
            if (c.status() != Health.Status.OK) {
                b.append('\u0000').append(c.message());
            }
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The checks that are not OK, worst first, e.g. "service:snort (FAILED: not running); disk:/data (DEGRADED: 93 % used)". */
    static String failing(Health health) {
        String named = sorted(health).stream().filter(c -> c.status() != Health.Status.OK)
                .sorted(Comparator.comparing((HealthCheck c) -> c.status()).reversed())
                .map(c -> c.name() + " (" + c.status() + (c.message() == null || c.message().isBlank() ? ""
                        : ": " + c.message()) + ")")
                .collect(Collectors.joining("; "));
        if (!named.isEmpty()) {
            return named;
        }
        return health.detail() == null ? "no check named" : health.detail();
    }
}
