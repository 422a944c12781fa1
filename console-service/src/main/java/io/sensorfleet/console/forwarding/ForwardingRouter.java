package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.notifications.NotificationView;
import io.sensorfleet.console.notifications.NotificationsRecorded;
import io.sensorfleet.console.notifications.Severity;
import io.sensorfleet.console.sensors.LabelRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Decides, when a notification is recorded and inside that transaction, which rule actions get
 * it, and queues one outbox row for each. The rules in force at that moment decide; a rule
 * changed later does not re-route what is already queued (but its actions' new settings are used
 * for delivery).
 */
@ApplicationScoped
class ForwardingRouter {
    private static final String RULES = "select r.id, r.min_severity, r.report_system_notifications, r.report_alerts, "
            + "r.protocols, r.engines, r.zone_ids, r.sensor_ids, array_agg(a.id::text order by a.position), "
            + "r.site_ids, r.labels "
            + "from forwarding_rules r join forwarding_actions a on a.rule_id = r.id where r.enabled group by r.id";
    private static final String ENQUEUE = "insert into forwarding_outbox (notification_id, rule_id, action_id, state, "
            + "attempts, created_at, next_attempt_at) "
            + "select n, r, a, 'PENDING', 0, ?, ? from unnest(?::uuid[], ?::uuid[], ?::uuid[]) as q(n, r, a) "
            + "on conflict (notification_id, action_id) do nothing";

    @Inject
    EntityManager em;
    @Inject
    Clock clock;

    void onRecorded(@Observes NotificationsRecorded recorded) {
        em.unwrap(Session.class).doWork(c -> route(c, recorded.forwardable()));
    }

    private void route(Connection c, List<NotificationView> notifications) throws SQLException {
        List<RuleMatcher> rules = rules(c);
        if (rules.isEmpty()) {
            return;
        }
        Map<UUID, UUID> sites = rules.stream().anyMatch(RuleMatcher::needsSites) ? sites(c, notifications) : Map.of();
        Map<UUID, Map<String, String>> labels = rules.stream().anyMatch(RuleMatcher::needsLabels)
                ? labels(c, notifications) : Map.of();
        List<String> n = new ArrayList<>();
        List<String> r = new ArrayList<>();
        List<String> a = new ArrayList<>();
        for (NotificationView view : notifications) {
            UUID site = view.zoneId() == null ? null : sites.get(view.zoneId());
            Map<String, String> sensorLabels = view.sensorId() == null ? Map.of()
                    : labels.getOrDefault(view.sensorId(), Map.of());
            for (RuleMatcher rule : rules) {
                if (rule.matches(view, site, sensorLabels)) {
                    for (UUID action : rule.actionIds()) {
                        n.add(view.id().toString());
                        r.add(rule.ruleId().toString());
                        a.add(action.toString());
                    }
                }
            }
        }
        if (n.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        try (PreparedStatement ps = c.prepareStatement(ENQUEUE)) {
            ps.setObject(1, now.atOffset(ZoneOffset.UTC));
            ps.setObject(2, now.atOffset(ZoneOffset.UTC));
            ps.setArray(3, c.createArrayOf("text", n.toArray()));
            ps.setArray(4, c.createArrayOf("text", r.toArray()));
            ps.setArray(5, c.createArrayOf("text", a.toArray()));
            ps.executeUpdate();
        }
    }

    private static List<RuleMatcher> rules(Connection c) throws SQLException {
        List<RuleMatcher> rules = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(RULES); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rules.add(new RuleMatcher(rs.getObject(1, UUID.class), Severity.valueOf(rs.getString(2)),
                        rs.getBoolean(3), rs.getBoolean(4), lower(rs.getArray(5)), lower(rs.getArray(6)),
                        uuids(rs.getArray(7)), uuids(rs.getArray(8)), uuids(rs.getArray(10)),
                        Arrays.stream((String[]) rs.getArray(11).getArray()).map(LabelRules.Selector::parse).toList(),
                        Arrays.stream((String[]) rs.getArray(9).getArray()).map(UUID::fromString).toList()));
            }
        }
        return rules;
    }

    /** The site of each zone the batch mentions: one query per routed batch. */
    private static Map<UUID, UUID> sites(Connection c, List<NotificationView> batch) throws SQLException {
        Map<UUID, UUID> out = new HashMap<>();
        String[] zones = batch.stream().map(NotificationView::zoneId).filter(Objects::nonNull).distinct()
                .map(UUID::toString).toArray(String[]::new);
        if (zones.length == 0) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("select id, site_id from zones where id = any(?::uuid[]) "
                + "and site_id is not null")) {
            ps.setArray(1, c.createArrayOf("text", zones));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class));
                }
            }
        }
        return out;
    }

    /** The labels of each sensor the batch mentions: one query per routed batch. */
    private static Map<UUID, Map<String, String>> labels(Connection c, List<NotificationView> batch) throws SQLException {
        Map<UUID, Map<String, String>> out = new HashMap<>();
        String[] sensors = batch.stream().map(NotificationView::sensorId).filter(Objects::nonNull).distinct()
                .map(UUID::toString).toArray(String[]::new);
        if (sensors.length == 0) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("select sensor_id, key, value from sensor_labels "
                + "where sensor_id = any(?::uuid[])")) {
            ps.setArray(1, c.createArrayOf("text", sensors));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        return out;
    }

    private static Set<String> lower(Array a) throws SQLException {
        return Arrays.stream((String[]) a.getArray()).map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    private static Set<UUID> uuids(Array a) throws SQLException {
        return Arrays.stream((UUID[]) a.getArray()).collect(Collectors.toSet());
    }
}
