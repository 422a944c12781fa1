package io.sensorfleet.console.forwarding;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeliveryGroupsTest {
    private static final UUID RULE = UUID.randomUUID();

    @Test
    void batchingWebhookSendsItsMessagesTogetherUpToItsBatchSize() {
        UUID action = UUID.randomUUID();
        List<Outbox.Claimed> claimed = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            claimed.add(claimed(i, action, ActionKind.WEBHOOK, 3));
        }
        List<List<Outbox.Claimed>> requests = DeliveryGroups.split(claimed);
        assertEquals(List.of(3, 3, 1), requests.stream().map(List::size).toList());
        assertEquals(claimed, requests.stream().flatMap(List::stream).toList(), "every message once, in claim order");
    }

    @Test
    void messagesOfOtherActionsAndOfUnbatchedActionsGoOneByOne() {
        UUID batching = UUID.randomUUID();
        UUID single = UUID.randomUUID();
        UUID syslog = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        List<Outbox.Claimed> claimed = List.of(claimed(1, batching, ActionKind.WEBHOOK, 10),
                claimed(2, single, ActionKind.WEBHOOK, 1), claimed(3, syslog, ActionKind.SYSLOG, 1),
                claimed(4, other, ActionKind.WEBHOOK, 10), claimed(5, batching, ActionKind.WEBHOOK, 10),
                claimed(6, single, ActionKind.WEBHOOK, 1));
        List<List<Long>> requests = DeliveryGroups.split(claimed).stream()
                .map(r -> r.stream().map(Outbox.Claimed::id).toList()).toList();
        assertEquals(List.of(List.of(1L, 5L), List.of(2L), List.of(3L), List.of(4L), List.of(6L)), requests);
    }

    private static Outbox.Claimed claimed(long id, UUID action, ActionKind kind, int batch) {
        ActionSettings s = kind == ActionKind.WEBHOOK
                ? new ActionSettings(null, null, null, null, null, "http://127.0.0.1:9/hook", Map.of(), null,
                batch == 1 ? null : batch)
                : new ActionSettings("127.0.0.1", 514, SyslogTransport.TCP, SyslogFormat.CEF, "UTC", null, null, null, null);
        return new Outbox.Claimed(id, UUID.randomUUID(), 0, RULE, action, kind, s, null, SiteRef.NONE);
    }
}
