package io.sensorfleet.console.common;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FlushBufferTest {

    @Test
    void theNewerValueIsKeptAndAValuePutBackNeverReplacesANewerOne() {
        FlushBuffer<String, Integer> buffer = new FlushBuffer<>(Math::max);
        buffer.put("a", 1);
        buffer.put("a", 3);
        buffer.put("a", 2);
        Map<String, Integer> taken = buffer.take();
        assertEquals(Map.of("a", 3), taken);
        assertEquals(0, buffer.size());

        FlushBuffer<String, String> latest = new FlushBuffer<>((older, newer) -> newer);
        latest.put("s", "first");
        Map<String, String> failed = latest.take();
        latest.put("s", "second");
        latest.putBack("s", failed.get("s"));
        latest.putBack("t", "only");
        assertEquals(Map.of("s", "second", "t", "only"), latest.take());
    }

    /**
     * Writers put keys as fast as they can while a flusher takes the buffer again and again: every key
     * whose put returned is in exactly one of the maps taken. A plain swap of the map loses some.
     */
    @Test
    void everyValuePutWhileTheFlusherTakesIsInExactlyOneTakenMap() throws Exception {
        FlushBuffer<Integer, Integer> buffer = new FlushBuffer<>((older, newer) -> newer);
        int writers = 6;
        int perWriter = 1_000_000;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[writers];
        for (int w = 0; w < writers; w++) {
            int base = w * perWriter;
            threads[w] = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perWriter; i++) {
                    buffer.put(base + i, i);
                }
            });
        }
        BitSet seen = new BitSet(writers * perWriter);
        int[] duplicates = {0};
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread flusher = Thread.ofPlatform().start(() -> {
            while (writing.get()) {
                collect(buffer.take(), seen, duplicates);
            }
        });
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        writing.set(false);
        flusher.join();
        collect(buffer.take(), seen, duplicates);

        assertEquals(0, duplicates[0], "keys taken twice");
        assertEquals(writers * perWriter, seen.cardinality(), "keys taken");
    }

    private static void collect(Map<Integer, Integer> taken, BitSet seen, int[] duplicates) {
        // Copied as the flushers do (they write what they copied): a put after the copy would be lost.
        for (Integer key : List.copyOf(taken.keySet())) {
            if (seen.get(key)) {
                duplicates[0]++;
            }
            seen.set(key);
        }
    }
}
