package io.sensorfleet.console.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts in this process only, within a bounded number of keys (for tests and a console without a database). */
final class MemoryFailureCounts implements FailureCounts {
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration window;

    MemoryFailureCounts(Clock clock, Duration window) {
        this.clock = clock;
        this.window = window;
    }

    @Override
    public Window get(String key) {
        return windows.get(key);
    }

    @Override
    public int add(String key, Instant now, Duration length) {
        if (windows.size() >= LoginThrottle.MAX_TRACKED) {
            evictExpired(clock.instant());
        }
        return windows.compute(key, (k, w) -> w == null || !w.start().plus(length).isAfter(now)
                ? new Window(now, 1) : new Window(w.start(), w.failures() + 1)).failures();
    }

    @Override
    public void remove(String key) {
        windows.remove(key);
    }

    @Override
    public void removeEndingWith(String suffix) {
        windows.keySet().removeIf(k -> k.endsWith(suffix));
    }

    private void evictExpired(Instant now) {
        windows.values().removeIf(w -> !w.start().plus(window).isAfter(now));
        if (windows.size() >= LoginThrottle.MAX_TRACKED) {
            // Still full of live windows: keep the per-address ones, which bound the damage.
            windows.keySet().removeIf(k -> k.contains("|"));
        }
    }
}
