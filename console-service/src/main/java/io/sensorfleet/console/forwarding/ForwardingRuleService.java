package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.notifications.NotificationCategory;
import io.sensorfleet.console.notifications.NotificationType;
import io.sensorfleet.console.notifications.NotificationView;
import io.sensorfleet.console.notifications.Severity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Forwarding rules and their actions, and test messages through an action. */
@ApplicationScoped
@Transactional
public class ForwardingRuleService {
    @Inject
    WebhookHeaderSecrets headerSecrets;
    @Inject
    EntityManager em;
    @Inject
    Clock clock;
    @Inject
    Senders senders;
    @Inject
    DeliveryLog log;

    public RuleView create(RuleRequest request) {
        RuleValidator.ValidRule v = RuleValidator.rule(request);
        checkReferences(v);
        checkNameFree(v.name(), null);
        for (int i = 0; i < v.actions().size(); i++) {
            if (v.actions().get(i).id() != null) {
                throw ProblemException.badRequest("actions[" + i + "].id: leave it out when creating a rule");
            }
        }
        Instant now = clock.instant();
        ForwardingRule r = new ForwardingRule();
        r.id = UUID.randomUUID();
        r.createdAt = now;
        apply(r, v, now);
        r.persist();
        saveActions(r.id, v.actions(), List.of());
        return get(r.id);
    }

    /**
     * Replaces the rule. Actions sent with their id are changed in place and keep their queued
     * messages; actions left out are removed together with the messages still queued for them.
     */
    public RuleView update(UUID id, RuleRequest request) {
        ForwardingRule r = find(id);
        RuleValidator.ValidRule v = RuleValidator.rule(request);
        checkReferences(v);
        checkNameFree(v.name(), id);
        List<ForwardingAction> existing = ForwardingAction.list("ruleId", id);
        Set<UUID> own = new HashSet<>(existing.stream().map(a -> a.id).toList());
        for (int i = 0; i < v.actions().size(); i++) {
            UUID actionId = v.actions().get(i).id();
            if (actionId != null && !own.contains(actionId)) {
                throw ProblemException.badRequest("actions[" + i + "].id: " + actionId + " is not an action of this rule");
            }
        }
        apply(r, v, clock.instant());
        saveActions(id, v.actions(), existing);
        return get(id);
    }

    public void delete(UUID id) {
        find(id).delete();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<RuleView> list(int page, int size) {
        var query = ForwardingRule.<ForwardingRule>find("order by lower(name), id");
        List<ForwardingRule> rules = query.page(page, size).list();
        List<UUID> ids = rules.stream().map(r -> r.id).toList();
        Map<UUID, List<ForwardingAction>> actions = new HashMap<>();
        if (!ids.isEmpty()) {
            ForwardingAction.<ForwardingAction>list("ruleId in ?1 order by position", ids)
                    .forEach(a -> actions.computeIfAbsent(a.ruleId, k -> new ArrayList<>()).add(a));
        }
        Map<UUID, RuleView.DeliveryStats> stats = log.stats(actions.values().stream().flatMap(List::stream).map(a -> a.id).toList());
        return new Page<>(rules.stream().map(r -> view(r, actions.getOrDefault(r.id, List.of()), stats)).toList(),
                page, size, query.count());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public RuleView get(UUID id) {
        ForwardingRule r = find(id);
        List<ForwardingAction> actions = ForwardingAction.list("ruleId = ?1 order by position", id);
        return view(r, actions, log.stats(actions.stream().map(a -> a.id).toList()));
    }

    /** Sends a test message through a saved action and says what the receiver answered. Nothing is queued. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public TestResult test(UUID ruleId, UUID actionId) {
        ForwardingAction a = ForwardingAction.find("id = ?1 and ruleId = ?2", actionId, ruleId).firstResult();
        if (a == null) {
            throw ProblemException.notFound("action " + actionId + " of forwarding rule", ruleId);
        }
        return test(a.kind, headerSecrets.open(ActionSettings.fromJson(a.settings)));
    }

    /** Sends a test message through an action that is not saved yet. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public TestResult test(RuleRequest.Action action) {
        RuleValidator.ValidAction a = RuleValidator.action(action);
        return test(a.kind(), a.settings());
    }

    private TestResult test(ActionKind kind, ActionSettings settings) {
        NotificationView n = new NotificationView(UUID.randomUUID(), clock.instant(), NotificationCategory.SYSTEM,
                NotificationType.TEST_MESSAGE, Severity.WARNING, NotificationType.TEST_MESSAGE.defaultTitle(),
                "sent by an administrator to check this forwarding action; not a real event", null, null, null,
                null, null, null, null, null, null, null);
        long start = System.nanoTime();
        DeliveryResult r = senders.sendTest(kind, settings, n);
        return new TestResult(r.delivered(), r.outcome(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), n.id());
    }

    private void apply(ForwardingRule r, RuleValidator.ValidRule v, Instant now) {
        r.name = v.name();
        r.enabled = v.enabled();
        r.minSeverity = v.minSeverity();
        r.reportSystemNotifications = v.reportSystemNotifications();
        r.reportAlerts = v.reportAlerts();
        r.protocols = v.protocols();
        r.engines = v.engines();
        r.zoneIds = v.zoneIds();
        r.sensorIds = v.sensorIds();
        r.siteIds = v.siteIds();
        r.labels = v.labels();
        r.updatedAt = now;
    }

    private void saveActions(UUID ruleId, List<RuleValidator.ValidAction> wanted, List<ForwardingAction> existing) {
        Map<UUID, ForwardingAction> byId = new HashMap<>();
        existing.forEach(a -> byId.put(a.id, a));
        Set<UUID> kept = new HashSet<>();
        for (int i = 0; i < wanted.size(); i++) {
            RuleValidator.ValidAction w = wanted.get(i);
            ForwardingAction a = w.id() == null ? null : byId.get(w.id());
            if (a == null) {
                a = new ForwardingAction();
                a.id = UUID.randomUUID();
                a.ruleId = ruleId;
            }
            a.position = i;
            a.kind = w.kind();
            a.settings = headerSecrets.seal(w.settings(), a.settings == null ? null : ActionSettings.fromJson(a.settings))
                    .toJson();
            a.persist();
            kept.add(a.id);
        }
        existing.stream().filter(a -> !kept.contains(a.id)).forEach(ForwardingAction::delete);
        em.flush();
    }

    private void checkReferences(RuleValidator.ValidRule v) {
        List<String> errors = new ArrayList<>();
        missing(errors, "filters.zoneIds", "zone", v.zoneIds(), ids -> em.createQuery(
                "select z.id from Zone z where z.id in :ids", UUID.class).setParameter("ids", ids).getResultList());
        missing(errors, "filters.sensorIds", "sensor", v.sensorIds(), ids -> em.createQuery(
                "select s.id from Sensor s where s.id in :ids", UUID.class).setParameter("ids", ids).getResultList());
        missing(errors, "filters.siteIds", "site", v.siteIds(), ids -> em.createQuery(
                "select s.id from Site s where s.id in :ids", UUID.class).setParameter("ids", ids).getResultList());
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(String.join("; ", errors));
        }
    }

    private static void missing(List<String> errors, String field, String what, UUID[] ids,
                                java.util.function.Function<List<UUID>, List<UUID>> known) {
        if (ids.length == 0) {
            return;
        }
        Set<UUID> found = new HashSet<>(known.apply(Arrays.asList(ids)));
        List<String> unknown = Arrays.stream(ids).filter(id -> !found.contains(id)).map(UUID::toString).toList();
        if (!unknown.isEmpty()) {
            errors.add(field + ": no such " + what + " " + String.join(", ", unknown));
        }
    }

    private static void checkNameFree(String name, UUID self) {
        long clash = self == null ? ForwardingRule.count("lower(name) = lower(?1)", name)
                : ForwardingRule.count("lower(name) = lower(?1) and id <> ?2", name, self);
        if (clash > 0) {
            throw new ProblemException(ProblemType.RULE_EXISTS, "a forwarding rule named '" + name + "' already exists");
        }
    }

    private static RuleView view(ForwardingRule r, List<ForwardingAction> actions, Map<UUID, RuleView.DeliveryStats> stats) {
        List<RuleView.ActionView> views = actions.stream().map(a -> {
            ActionSettings s = WebhookHeaderSecrets.masked(ActionSettings.fromJson(a.settings));
            return new RuleView.ActionView(a.id, a.kind, s.host(), s.port(), s.transport(), s.format(), s.timeZone(),
                    s.url(), s.headers(), s.caCertificatePem(), s.batchMaxEvents(), stats.get(a.id));
        }).toList();
        return new RuleView(r.id, r.name, r.enabled, r.minSeverity, r.reportSystemNotifications, r.reportAlerts,
                new RuleRequest.Filters(List.of(r.protocols), List.of(r.engines), List.of(r.zoneIds), List.of(r.sensorIds),
                        List.of(r.siteIds), List.of(r.labels)),
                views, r.createdAt, r.updatedAt);
    }

    static ForwardingRule find(UUID id) {
        ForwardingRule r = ForwardingRule.findById(id);
        if (r == null) {
            throw ProblemException.notFound("forwarding rule", id);
        }
        return r;
    }
}
