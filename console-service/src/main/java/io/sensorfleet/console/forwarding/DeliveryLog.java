package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** What the outbox did for each rule: messages, their attempts, delivery totals; replays of parked messages. */
@ApplicationScoped
@Transactional
public class DeliveryLog {
    @Inject
    EntityManager em;
    @Inject
    Clock clock;

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<DeliveryView> deliveries(UUID ruleId, String state, UUID actionId, UUID notificationId, int page, int size) {
        ForwardingRuleService.find(ruleId);
        StringBuilder where = new StringBuilder("ruleId = :rule");
        Map<String, Object> params = new HashMap<>(Map.of("rule", ruleId));
        if (state != null && !state.isBlank()) {
            String s = state.strip().toUpperCase(java.util.Locale.ROOT);
            if (!Set.of("PENDING", "DELIVERED", "PARKED").contains(s)) {
                throw ProblemException.badRequest("state: one of PENDING, DELIVERED, PARKED");
            }
            where.append(" and state = :state");
            params.put("state", s);
        }
        if (actionId != null) {
            where.append(" and actionId = :action");
            params.put("action", actionId);
        }
        if (notificationId != null) {
            where.append(" and notificationId = :notification");
            params.put("notification", notificationId);
        }
        var query = OutboxEntry.<OutboxEntry>find(where + " order by createdAt desc, id desc", params);
        List<DeliveryView> items = query.page(page, size).list().stream().map(e -> view(e, null)).toList();
        return new Page<>(items, page, size, query.count());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public DeliveryView delivery(UUID ruleId, long id) {
        OutboxEntry e = entry(ruleId, id);
        List<DeliveryView.Attempt> history = DeliveryAttempt.<DeliveryAttempt>list("outboxId = ?1 order by attemptedAt, id", id)
                .stream().map(a -> new DeliveryView.Attempt(a.attemptedAt, a.succeeded, a.outcome, a.durationMs, a.instance))
                .toList();
        return view(e, history);
    }

    /** Queues the parked messages of the rule (or of one of its actions) again, with a fresh set of attempts. */
    public int replayParked(UUID ruleId, UUID actionId) {
        ForwardingRuleService.find(ruleId);
        String where = "ruleId = :rule and state = 'PARKED'" + (actionId == null ? "" : " and actionId = :action");
        Map<String, Object> params = new HashMap<>(Map.of("rule", ruleId, "now", clock.instant()));
        if (actionId != null) {
            params.put("action", actionId);
        }
        return OutboxEntry.update("state = 'PENDING', attempts = 0, nextAttemptAt = :now, claim = null where " + where,
                params);
    }

    /** Queues one message again: a parked one, or a delivered one to send it once more. */
    public DeliveryView replay(UUID ruleId, long id) {
        OutboxEntry e = entry(ruleId, id);
        if ("PENDING".equals(e.state)) {
            throw new ProblemException(ProblemType.DELIVERY_PENDING, "message " + id + " is already waiting for delivery");
        }
        e.state = "PENDING";
        e.attempts = 0;
        e.nextAttemptAt = clock.instant();
        e.claim = null;
        return view(e, null);
    }

    /** Delivery state of each action: live counts of pending and parked messages, running totals. */
    @Transactional(Transactional.TxType.SUPPORTS)
    Map<UUID, RuleView.DeliveryStats> stats(List<UUID> actionIds) {
        Map<UUID, RuleView.DeliveryStats> stats = new HashMap<>();
        if (actionIds.isEmpty()) {
            return stats;
        }
        Map<UUID, long[]> counts = new HashMap<>();
        em.createQuery("select o.actionId, o.state, count(o) from OutboxEntry o where o.actionId in :ids "
                        + "and o.state in ('PENDING', 'PARKED') group by o.actionId, o.state", Object[].class)
                .setParameter("ids", actionIds).getResultList()
                .forEach(row -> counts.computeIfAbsent((UUID) row[0], k -> new long[2])
                        ["PENDING".equals(row[1]) ? 0 : 1] = (Long) row[2]);
        Map<UUID, ActionStats> totals = new HashMap<>();
        ActionStats.<ActionStats>list("actionId in ?1", actionIds).forEach(s -> totals.put(s.actionId, s));
        for (UUID id : actionIds) {
            long[] c = counts.getOrDefault(id, new long[2]);
            ActionStats t = totals.get(id);
            stats.put(id, t == null ? new RuleView.DeliveryStats(c[0], 0, c[1], 0, null, null, null)
                    : new RuleView.DeliveryStats(c[0], t.delivered, c[1], t.failedAttempts, t.lastDeliveredAt,
                    t.lastFailureAt, t.lastError));
        }
        return stats;
    }

    private static DeliveryView view(OutboxEntry e, List<DeliveryView.Attempt> history) {
        return new DeliveryView(e.id, e.notificationId, e.ruleId, e.actionId, e.state, e.attempts, e.createdAt,
                e.nextAttemptAt, e.lastAttemptAt, e.lastError, e.deliveredAt, history);
    }

    private static OutboxEntry entry(UUID ruleId, long id) {
        OutboxEntry e = OutboxEntry.find("id = ?1 and ruleId = ?2", id, ruleId).firstResult();
        if (e == null) {
            throw ProblemException.notFound("message " + id + " of forwarding rule", ruleId);
        }
        return e;
    }
}
