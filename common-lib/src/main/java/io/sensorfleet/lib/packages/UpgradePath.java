package io.sensorfleet.lib.packages;

import io.sensorfleet.protocol.v1.update.Versions;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upgrade paths through the packages at hand: a sensor on 3.1.1 cannot take a 22.x package that
 * applies only to 10.5.x, but can reach it through a 10.5.5 package that applies to 3.1.1. The
 * first step of the shortest such path is the hop an operator is told to install first.
 */
public final class UpgradePath {
    private UpgradePath() {
    }

    /**
     * The version to install first so that {@code target} becomes installable on a sensor at {@code from}:
     * empty when the target applies directly or when no chain of the available packages reaches it.
     * Among equally short paths the newest first hop wins (fewer later steps are then likely).
     */
    public static Optional<String> nextHop(String from, UpdateManifest target, Collection<UpdateManifest> available) {
        if (target.appliesTo(from)) {
            return Optional.empty();
        }
        List<UpdateManifest> steps = available.stream()
                .filter(p -> Versions.compare(p.version(), target.version()) < 0)
                .sorted((a, b) -> Versions.compare(b.version(), a.version()))
                .toList();
        // Breadth-first over versions; first[v] is the first hop on the path that reached v.
        Map<String, String> first = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(from);
        first.put(from, null);
        while (!queue.isEmpty()) {
            String v = queue.poll();
            for (UpdateManifest p : steps) {
                if (first.containsKey(p.version()) || !p.appliesTo(v)) {
                    continue;
                }
                String hop = first.get(v) == null ? p.version() : first.get(v);
                if (target.appliesTo(p.version())) {
                    return Optional.of(hop);
                }
                first.put(p.version(), hop);
                queue.add(p.version());
            }
        }
        return Optional.empty();
    }
}
