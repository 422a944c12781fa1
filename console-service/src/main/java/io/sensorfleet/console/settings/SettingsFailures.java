package io.sensorfleet.console.settings;

import io.sensorfleet.console.notifications.NotificationType;
import io.sensorfleet.console.notifications.SystemEvent;
import io.sensorfleet.console.notifications.SystemEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Raises {@code SETTINGS_APPLY_FAILED} once per sensor and failed revision: the failure is noted in
 * {@code settings_apply_failures} and the notification recorded in the same transaction, so a
 * repeated acknowledgement, or the same one reaching two console instances, notifies nobody twice.
 */
@ApplicationScoped
public class SettingsFailures {
    private static final String INSERT = "insert into settings_apply_failures (sensor_id, revision, reason, recorded_at) "
            + "select v.id, v.rev, v.reason, ? from unnest(cast(? as uuid[]), cast(? as int8[]), cast(? as text[])) "
            + "as v(id, rev, reason) join sensors s on s.id = v.id "
            + "on conflict (sensor_id, revision) do nothing returning sensor_id, revision";

    /** One failed acknowledgement. */
    public record Failure(UUID sensorId, long revision, String reason) {
    }

    private final EntityManager em;
    private final SystemEvents systemEvents;
    private final Clock clock;

    SettingsFailures(EntityManager em, SystemEvents systemEvents, Clock clock) {
        this.em = em;
        this.systemEvents = systemEvents;
        this.clock = clock;
    }

    @Transactional
    public void record(List<Failure> failures) {
        if (failures.isEmpty()) {
            return;
        }
        Set<String> fresh = em.unwrap(Session.class).doReturningWork(c -> {
            Set<String> out = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setObject(1, java.sql.Timestamp.from(clock.instant()));
                ps.setArray(2, c.createArrayOf("text", failures.stream().map(f -> f.sensorId().toString()).toArray()));
                ps.setArray(3, c.createArrayOf("text", failures.stream().map(f -> Long.toString(f.revision())).toArray()));
                ps.setArray(4, c.createArrayOf("text", failures.stream().map(Failure::reason).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getObject(1, UUID.class) + "/" + rs.getLong(2));
                    }
                }
            }
            return out;
        });
        List<SystemEvent> events = new ArrayList<>();
        for (Failure f : failures) {
            if (fresh.remove(f.sensorId() + "/" + f.revision())) {
                events.add(SystemEvent.of(NotificationType.SETTINGS_APPLY_FAILED, f.sensorId(),
                        "settings revision " + f.revision() + " not applied: " + f.reason()));
            }
        }
        systemEvents.recordAll(events);
    }
}
