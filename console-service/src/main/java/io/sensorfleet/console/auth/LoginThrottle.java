package io.sensorfleet.console.auth;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Limits password guessing without letting a stranger lock anyone out. Two budgets of failed
 * logins, each over a window that starts at the first failure:
 * <ul>
 *   <li>per source address, whatever the names tried ({@code max-failed-logins-per-address}):
 *   stops spraying many names, and each refusal costs no password hash;</li>
 *   <li>per name <em>and</em> source address ({@code max-failed-logins}): stops guessing one
 *   account's password, but only from the addresses that failed — the owner logging in from
 *   elsewhere is not affected, so nobody can lock an account by failing on purpose.</li>
 * </ul>
 * Known and unknown names are counted the same way, so a refusal tells nothing about which names
 * exist. Counts are kept in PostgreSQL ({@link SharedFailureCounts}), so several console instances
 * throttle as one console: a client spreading its guesses over them gets one budget.
 */
@Singleton
public class LoginThrottle {
    /** Budgets and the window they are counted over. */
    public record Limits(int perAddress, int perNameAndAddress, Duration window) {
    }

    /** In memory: more addresses or pairs than this and the oldest windows are dropped first (bounded memory). */
    static final int MAX_TRACKED = 100_000;

    private final Clock clock;
    private final Limits limits;
    private final FailureCounts windows;

    @Inject
    LoginThrottle(AuthConfig config, Clock clock, SharedFailureCounts shared) {
        this(clock, new Limits(config.maxFailedLoginsPerAddress(), config.maxFailedLogins(), config.lockoutDuration()),
                shared);
    }

    /** Counts kept in this process only. */
    public LoginThrottle(Clock clock, Limits limits) {
        this(clock, limits, new MemoryFailureCounts(clock, limits.window()));
    }

    LoginThrottle(Clock clock, Limits limits, FailureCounts counts) {
        this.clock = clock;
        this.limits = limits;
        this.windows = counts;
    }

    /** How long this address must wait before trying this name, or null when it may try now. */
    public Duration refusal(String address, String name) {
        Instant now = clock.instant();
        Duration a = wait(addressKey(address), limits.perAddress(), now);
        Duration n = wait(pairKey(address, name), limits.perNameAndAddress(), now);
        if (a == null) {
            return n;
        }
        return n == null || a.compareTo(n) > 0 ? a : n;
    }

    /** Counts a failed login; answers the failures now counted against this name from this address. */
    public int failed(String address, String name) {
        Instant now = clock.instant();
        windows.add(addressKey(address), now, limits.window());
        return windows.add(pairKey(address, name), now, limits.window());
    }

    /** The right password from this address ends the count for this name there (not the address's own). */
    public void succeeded(String address, String name) {
        windows.remove(pairKey(address, name));
    }

    /** An Admin lifting the refusals of a name (enabling the user again), for every address. */
    public void forgive(String name) {
        windows.removeEndingWith("|" + normal(name));
    }

    public Limits limits() {
        return limits;
    }

    private Duration wait(String key, int budget, Instant now) {
        FailureCounts.Window w = windows.get(key);
        if (w == null || w.failures() < budget) {
            return null;
        }
        Instant end = w.start().plus(limits.window());
        return end.isAfter(now) ? Duration.between(now, end) : null;
    }

    private static String addressKey(String address) {
        return String.valueOf(address);
    }

    private static String pairKey(String address, String name) {
        return address + "|" + normal(name);
    }

    /** The name tried, normalised and hashed: any length or content makes a short key. */
    private static String normal(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(n.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
