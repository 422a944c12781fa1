package io.sensorfleet.console.forwarding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Splits what a worker claimed into requests: a message on its own, except for webhook actions
 * that batch, whose messages go together, up to the action's {@code batchMaxEvents} per request.
 * A 500 ms webhook at 5,000 messages/s needs about 2,500 requests (and connections) under way
 * one by one, or 25 in batches of 100, and each request costs the console its HTTP exchange.
 */
final class DeliveryGroups {
    private DeliveryGroups() {
    }

    /** True when the message goes to its receiver in a JSON array with others. */
    static boolean batched(Outbox.Claimed c) {
        return c.kind() == ActionKind.WEBHOOK && c.settings().batch() > 1;
    }

    /** The requests for {@code claimed}, each a non-empty list, in claim order of their first message. */
    static List<List<Outbox.Claimed>> split(List<Outbox.Claimed> claimed) {
        List<List<Outbox.Claimed>> requests = new ArrayList<>();
        Map<UUID, List<Outbox.Claimed>> open = new LinkedHashMap<>();
        for (Outbox.Claimed c : claimed) {
            if (!batched(c)) {
                requests.add(List.of(c));
                continue;
            }
            List<Outbox.Claimed> current = open.get(c.actionId());
            if (current == null || current.size() >= c.settings().batch()) {
                current = new ArrayList<>();
                open.put(c.actionId(), current);
                requests.add(current);
            }
            current.add(c);
        }
        return requests;
    }
}
