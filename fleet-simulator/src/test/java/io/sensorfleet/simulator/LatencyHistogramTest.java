package io.sensorfleet.simulator;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {

    @Test
    void percentilesStayWithinTwoPercentOfTheExactValues() {
        LatencyHistogram histogram = new LatencyHistogram();
        Random random = new Random(7);
        long[] values = new long[100_000];
        for (int i = 0; i < values.length; i++) {
            // log-normal-ish spread from tens of microseconds to seconds, like request latencies
            values[i] = (long) Math.exp(random.nextGaussian() * 1.5 + 8);
            histogram.recordMicros(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {0.5, 0.95, 0.99, 0.999}) {
            long exact = values[(int) Math.ceil(p * values.length) - 1];
            long estimate = histogram.percentileMicros(p);
            assertTrue(Math.abs(estimate - exact) <= Math.max(1, exact * 0.02),
                    "p" + p + ": exact " + exact + ", estimate " + estimate);
        }
        assertEquals(values[values.length - 1], histogram.maxMicros());
        assertEquals(values.length, histogram.count());
    }

    @Test
    void emptyHistogramSummarisesAsZero() {
        LatencyHistogram.Summary summary = new LatencyHistogram().summary();

        assertEquals(new LatencyHistogram.Summary(0, 0, 0, 0, 0), summary);
    }

    @Test
    void summaryIsInMilliseconds() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.recordNanos(2_500_000);

        assertEquals(2.5, histogram.summary().max());
        assertEquals(2.5, histogram.summary().p99(), 0.05);
    }

    @Test
    void everyBucketsUpperBoundMapsBackToThatBucket() {
        for (long v = 0; v < 1 << 20; v += 1 + v / 100) {
            int index = LatencyHistogram.index(v);
            assertTrue(LatencyHistogram.upperBound(index) >= v, "upper bound of " + v);
            assertEquals(index, LatencyHistogram.index(LatencyHistogram.upperBound(index)), "bucket of " + v);
        }
    }
}
