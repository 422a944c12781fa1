package io.sensorfleet.console.auth;

import java.time.Duration;
import java.time.Instant;

/** Where the {@link LoginThrottle} keeps its counts of failed logins, by key (an address, or address and name). */
interface FailureCounts {
    /** The failures counted under a key since its window started. */
    record Window(Instant start, int failures) {
    }

    /** The key's window, or null when it has none. */
    Window get(String key);

    /** Counts one failure: in the key's window, or in a new one from {@code now} when it has none or it ended. */
    int add(String key, Instant now, Duration window);

    void remove(String key);

    /** Removes every key that ends with {@code suffix}. */
    void removeEndingWith(String suffix);
}
