package io.sensorfleet.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Failures of a workload by kind, with the first message seen for each. Thread-safe. */
final class Outcomes {
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<String, String> examples = new ConcurrentHashMap<>();

    void failed(String kind, String message) {
        failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
        if (message != null) {
            examples.putIfAbsent(kind, message.length() > 300 ? message.substring(0, 300) : message);
        }
    }

    long total() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> byKind() {
        Map<String, Long> out = new TreeMap<>();
        failures.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    Map<String, String> examples() {
        return new TreeMap<>(examples);
    }
}
