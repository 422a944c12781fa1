package io.sensorfleet.console.notifications;

import io.sensorfleet.console.maintenance.MaintenanceWindows;
import io.sensorfleet.console.maintenance.OpenWindow;
import io.sensorfleet.protocol.v1.alerts.AlertReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Records system notifications and sensor alerts. Call it inside the transaction of the change
 * that causes the notification: the notification, and the forwarding outbox rows for it, commit
 * or roll back with that change, so a notification is never sent for a change that did not
 * happen and never lost for one that did.
 * <p>
 * Names of the sensor and its zone are copied at recording time, so the notification still says
 * who it was about after a rename or a deletion. Notifications of sensors in an open maintenance
 * window are recorded but not forwarded.
 */
@ApplicationScoped
public class SystemEvents {
    private static final String INSERT = "insert into notifications (id, occurred_at, category, type, severity, "
            + "title, message, sensor_id, sensor_name, zone_id, zone_name, alert_id, engine, protocol, source, "
            + "destination, suppressed_by) "
            + "select e.id, e.at, e.category, e.type, e.severity, e.title, e.message, e.sensor_id, s.name, s.zone_id, "
            + "z.name, e.alert_id, e.engine, e.protocol, e.source, e.destination, e.suppressed_by "
            + "from unnest(?::uuid[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
            + "?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) "
            + "as e(id, at, category, type, severity, title, message, sensor_id, alert_id, engine, protocol, source, "
            + "destination, suppressed_by) "
            + "left join sensors s on s.id = e.sensor_id left join zones z on z.id = s.zone_id "
            + "on conflict (sensor_id, alert_id) where alert_id is not null do nothing "
            + "returning id, sensor_name, zone_id, zone_name";

    @Inject
    EntityManager em;
    @Inject
    Clock clock;
    @Inject
    MaintenanceWindows maintenance;
    @Inject
    Event<NotificationsRecorded> recorded;

    /** What goes into one row. */
    private record Draft(UUID id, Instant at, NotificationType type, Severity severity, String title, String message,
                         UUID sensorId, String alertId, String engine, String protocol, String source,
                         String destination, String suppressedBy) {
        Draft suppressedBy(String ticket) {
            return new Draft(id, at, type, severity, title, message, sensorId, alertId, engine, protocol, source,
                    destination, ticket);
        }
    }

    /**
     * Records one system notification in the caller's transaction (there must be one).
     *
     * @return the notification's id, which every forwarded copy carries
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID record(SystemEvent event) {
        return recordAll(List.of(event)).getFirst();
    }

    /** Records many at once with a constant number of statements, e.g. a whole site going dark. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> recordAll(List<SystemEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Draft> drafts = events.stream().map(e -> new Draft(UUID.randomUUID(), now, e.type(), e.severity(),
                e.title(), e.message(), e.sensorId(), null, null, null, null, null, null)).toList();
        return insert(drafts, now).stream().map(NotificationView::id).toList();
    }

    /** An alert as a sensor reported it. */
    public record ReportedAlert(UUID sensorId, AlertReport report) {
    }

    /**
     * Records many reported alerts with one statement (the same sensor and alert id twice, in the
     * list or already stored, is recorded once).
     *
     * @return for each alert in order, whether it was a duplicate
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Boolean> recordAlerts(List<ReportedAlert> alerts) {
        List<Draft> drafts = alerts.stream().map(a -> draft(a.sensorId(), a.report())).toList();
        java.util.Set<UUID> inserted = new java.util.HashSet<>();
        insert(drafts, clock.instant()).forEach(v -> inserted.add(v.id()));
        return drafts.stream().map(d -> !inserted.contains(d.id())).toList();
    }

    private static Draft draft(UUID sensorId, AlertReport alert) {
        Severity severity = Severity.valueOf(alert.severity().name());
        return new Draft(UUID.randomUUID(), alert.detectedAt(), NotificationType.SENSOR_ALERT, severity,
                alert.title(), null, sensorId, alert.alertId(), alert.engine(), alert.protocol(), alert.source(),
                alert.destination(), null);
    }

    private List<NotificationView> insert(List<Draft> drafts, Instant now) {
        List<OpenWindow> windows = maintenance.openWindows(now);
        List<Draft> rows = new ArrayList<>(drafts.size());
        for (Draft d : drafts) {
            String ticket = windows.stream()
                    .filter(w -> w.suppresses(d.sensorId(), d.type().category() == NotificationCategory.ALERT, d.engine()))
                    .map(OpenWindow::ticketId).findFirst().orElse(null);
            rows.add(ticket == null ? d : d.suppressedBy(ticket));
        }
        // Pending entity changes (say, a sensor renamed in this transaction) must be visible to the insert's join.
        em.flush();
        List<NotificationView> views = em.unwrap(Session.class).doReturningWork(c -> write(c, rows));
        List<NotificationView> forwardable = views.stream().filter(v -> v.suppressedBy() == null).toList();
        if (!forwardable.isEmpty()) {
            recorded.fire(new NotificationsRecorded(forwardable));
        }
        return views;
    }

    private static List<NotificationView> write(Connection c, List<Draft> rows) throws SQLException {
        int n = rows.size();
        Object[][] cols = new Object[14][n];
        for (int i = 0; i < n; i++) {
            Draft d = rows.get(i);
            Object[] values = {d.id().toString(), d.at().toString(), d.type().category().name(), d.type().name(),
                    d.severity().name(), d.title(), d.message(), d.sensorId() == null ? null : d.sensorId().toString(),
                    d.alertId(), d.engine(), d.protocol(), d.source(), d.destination(), d.suppressedBy()};
            for (int col = 0; col < values.length; col++) {
                cols[col][i] = values[col];
            }
        }
        Map<UUID, Object[]> returned = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (int col = 0; col < cols.length; col++) {
                ps.setArray(col + 1, c.createArrayOf("text", cols[col]));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    returned.put(rs.getObject(1, UUID.class),
                            new Object[]{rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4)});
                }
            }
        }
        List<NotificationView> views = new ArrayList<>(returned.size());
        for (Draft d : rows) {
            Object[] r = returned.get(d.id());
            if (r != null) {
                views.add(new NotificationView(d.id(), d.at(), d.type().category(), d.type(), d.severity(), d.title(),
                        d.message(), d.sensorId(), (String) r[0], (UUID) r[1], (String) r[2], d.alertId(), d.engine(),
                        d.protocol(), d.source(), d.destination(), d.suppressedBy()));
            }
        }
        return views;
    }
}
