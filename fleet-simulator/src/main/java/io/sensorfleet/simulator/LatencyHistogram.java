package io.sensorfleet.simulator;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in microseconds, recorded concurrently by thousands of simulated sensors without a
 * lock: log-linear buckets (64 per power of two, so a percentile is off by at most ~1.6 %) and an
 * exact maximum. Fixed size whatever the number of samples, so a long run does not grow memory.
 */
public final class LatencyHistogram {
    private static final int SUB_BUCKET_BITS = 6;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    /** Values up to 2^38 µs (~76 hours) are bucketed; anything longer lands in the last bucket. */
    private static final int MAX_EXPONENT = 38;
    private static final int BUCKETS = (MAX_EXPONENT - SUB_BUCKET_BITS + 2) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong max = new AtomicLong();

    /** Percentiles in milliseconds, as reports show them. */
    public record Summary(long count, double p50, double p95, double p99, double max) {
    }

    public void recordNanos(long nanos) {
        recordMicros(TimeUnit.NANOSECONDS.toMicros(Math.max(0, nanos)));
    }

    public void recordMicros(long micros) {
        long v = Math.max(0, micros);
        counts.incrementAndGet(index(v));
        total.incrementAndGet();
        max.accumulateAndGet(v, Math::max);
    }

    public long count() {
        return total.get();
    }

    /** The value (µs) below which {@code fraction} of the samples lie; the bucket's upper bound. */
    public long percentileMicros(double fraction) {
        long n = total.get();
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(upperBound(i), max.get());
            }
        }
        return max.get();
    }

    public long maxMicros() {
        return max.get();
    }

    public Summary summary() {
        return new Summary(count(), millis(percentileMicros(0.50)), millis(percentileMicros(0.95)),
                millis(percentileMicros(0.99)), millis(maxMicros()));
    }

    static int index(long micros) {
        if (micros < SUB_BUCKETS) {
            return (int) micros;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int shift = exponent - SUB_BUCKET_BITS;
        int sub = (int) (micros >>> shift) - SUB_BUCKETS;
        return (shift + 1) * SUB_BUCKETS + sub;
    }

    static long upperBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = index / SUB_BUCKETS - 1;
        long sub = index % SUB_BUCKETS + SUB_BUCKETS;
        return ((sub + 1) << shift) - 1;
    }

    private static double millis(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
