package io.sensorfleet.console.common;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BinaryOperator;

/**
 * The latest value per key, written by many threads (the event loops) and taken whole by one
 * flusher that writes it to the database. Taking swaps in an empty map and waits for the writers
 * still holding the old one, so a value whose {@link #put} returned is in the map taken or in the
 * next one, never in neither. The swap alone lost a value now and then: one settings
 * acknowledgement in a 50,000-sensor push was put into the old map after the flusher had copied it.
 *
 * @param <K> the key (a sensor)
 * @param <V> what is kept for it until the next flush
 */
public final class FlushBuffer<K, V> {
    private final BinaryOperator<V> merge;
    private final StampedLock swap = new StampedLock();
    private volatile Map<K, V> current = new ConcurrentHashMap<>();

    /** @param merge the value to keep, from the one held ({@code older}) and the one put ({@code newer}) */
    public FlushBuffer(BinaryOperator<V> merge) {
        this.merge = merge;
    }

    /** Keeps {@code value} for the next flush, merged with what is already kept for {@code key}. */
    public void put(K key, V value) {
        long stamp = swap.readLock();
        try {
            current.merge(key, value, merge);
        } finally {
            swap.unlockRead(stamp);
        }
    }

    /** A value taken but not written: kept again, as older than anything put for its key meanwhile. */
    public void putBack(K key, V value) {
        long stamp = swap.readLock();
        try {
            current.merge(key, value, (held, back) -> merge.apply(back, held));
        } finally {
            swap.unlockRead(stamp);
        }
    }

    /** Everything kept so far, no longer written to by anyone; the buffer starts empty again. */
    public Map<K, V> take() {
        long stamp = swap.writeLock();
        try {
            Map<K, V> taken = current;
            current = new ConcurrentHashMap<>();
            return taken;
        } finally {
            swap.unlockWrite(stamp);
        }
    }

    public int size() {
        return current.size();
    }
}
