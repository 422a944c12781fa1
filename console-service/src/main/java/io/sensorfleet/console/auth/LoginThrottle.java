package io.sensorfleet.console.auth;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * exist. Counts are kept in memory on each instance: a client spreading over N instances gets N
 * budgets, still far below what an unthrottled hash endpoint allows, and a lookup costs no query.
 */
@Singleton
public class LoginThrottle {
    /** Budgets and the window they are counted over. */
    public record Limits(int perAddress, int perNameAndAddress, Duration window) {
    }

    /** More addresses or pairs than this and the oldest windows are dropped first (bounded memory). */
    static final int MAX_TRACKED = 100_000;

    private record Window(Instant start, int failures) {
    }

    private final Clock clock;
    private final Limits limits;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    @Inject
    public LoginThrottle(AuthConfig config, Clock clock) {
        this(clock, new Limits(config.maxFailedLoginsPerAddress(), config.maxFailedLogins(), config.lockoutDuration()));
    }

    public LoginThrottle(Clock clock, Limits limits) {
        this.clock = clock;
        this.limits = limits;
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
        if (windows.size() >= MAX_TRACKED) {
            evictExpired(now);
        }
        count(addressKey(address), now);
        return count(pairKey(address, name), now);
    }

    /** The right password from this address ends the count for this name there (not the address's own). */
    public void succeeded(String address, String name) {
        windows.remove(pairKey(address, name));
    }

    /** An Admin lifting the refusals of a name (enabling the user again), for every address on this instance. */
    public void forgive(String name) {
        String suffix = "|" + normal(name);
        windows.keySet().removeIf(k -> k.endsWith(suffix));
    }

    public Limits limits() {
        return limits;
    }

    private Duration wait(String key, int budget, Instant now) {
        Window w = windows.get(key);
        if (w == null || w.failures() < budget) {
            return null;
        }
        Instant end = w.start().plus(limits.window());
        return end.isAfter(now) ? Duration.between(now, end) : null;
    }

    private int count(String key, Instant now) {
        return windows.compute(key, (k, w) -> w == null || !w.start().plus(limits.window()).isAfter(now)
                ? new Window(now, 1) : new Window(w.start(), w.failures() + 1)).failures();
    }

    private void evictExpired(Instant now) {
        windows.values().removeIf(w -> !w.start().plus(limits.window()).isAfter(now));
        if (windows.size() >= MAX_TRACKED) {
            // Still full of live windows: keep the per-address ones, which bound the damage.
            windows.keySet().removeIf(k -> k.contains("|"));
        }
    }

    private static String addressKey(String address) {
        return String.valueOf(address);
    }

    private static String pairKey(String address, String name) {
        return address + "|" + normal(name);
    }

    private static String normal(String name) {
        return name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    }
}
