package io.sensorfleet.console.sessiontickets;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * When ticket keys are made, used and dropped — the same decision on every instance, from the
 * keys' creation times alone:
 * <ul>
 *   <li>a key is <em>published</em> at its creation and starts encrypting a grace period (two poll
 *   intervals) later, so every instance has loaded it before a ticket made with it arrives;</li>
 *   <li>the next key is created a grace period before the current one has encrypted for a rotation
 *   interval;</li>
 *   <li>a key is dropped once the last ticket it encrypted has expired: rotation interval plus
 *   ticket lifetime plus grace after its creation.</li>
 * </ul>
 * The very first key encrypts at once (there is nothing else to use).
 */
final class TicketKeySchedule {
    /** A stored key as far as the schedule is concerned. */
    record Key(String name, Instant createdAt) {
    }

    private final Duration rotation;
    private final Duration lifetime;
    private final Duration grace;

    TicketKeySchedule(Duration rotation, Duration lifetime, Duration pollInterval) {
        if (rotation.isNegative() || rotation.isZero() || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("sensorfleet.session-tickets: rotation-interval and ticket-lifetime must be positive");
        }
        this.grace = pollInterval.multipliedBy(2);
        if (grace.compareTo(rotation) >= 0) {
            throw new IllegalArgumentException("sensorfleet.session-tickets.rotation-interval (" + rotation
                    + ") must be longer than two poll intervals (" + grace + ")");
        }
        this.rotation = rotation;
        this.lifetime = lifetime;
    }

    TicketKeySchedule(SessionTicketConfig config) {
        this(config.rotationInterval(), config.ticketLifetime(), config.pollInterval());
    }

    /** Whether a new key must be created now. */
    boolean newKeyDue(List<Key> keys, Instant now) {
        Instant newest = keys.stream().map(Key::createdAt).max(Comparator.naturalOrder()).orElse(null);
        return newest == null || !now.isBefore(newest.plus(rotation).minus(grace));
    }

    /** Whether a key's tickets have all expired, so it can be deleted. */
    boolean expired(Key key, Instant now) {
        return now.isAfter(key.createdAt().plus(grace).plus(rotation).plus(lifetime));
    }

    /**
     * The keys to install, the one that encrypts first (the newest that has passed its grace
     * period, or the newest when none has), then the others newest first; expired keys left out.
     */
    List<Key> inUse(List<Key> keys, Instant now) {
        List<Key> live = new ArrayList<>(keys.stream().filter(k -> !expired(k, now))
                .sorted(Comparator.comparing(Key::createdAt).reversed()).toList());
        if (live.isEmpty()) {
            return live;
        }
        Key encrypting = live.stream().filter(k -> !now.isBefore(k.createdAt().plus(grace))).findFirst().orElse(live.get(0));
        live.remove(encrypting);
        live.add(0, encrypting);
        return live;
    }
}
