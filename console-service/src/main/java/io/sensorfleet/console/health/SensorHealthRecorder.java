package io.sensorfleet.console.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.sensorfleet.console.notifications.NotificationType;
import io.sensorfleet.console.notifications.SystemEvent;
import io.sensorfleet.console.notifications.SystemEvents;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Stores the health sensors report and raises one notification per status transition. Runs inside
 * the heartbeat flush's transaction, after the flush took the rows of these sensors: every writer
 * of a sensor's health holds that row, so the previous status this statement reads is the latest
 * committed one, and of any number of instances exactly one sees each transition. A row is written
 * only when the health's fingerprint changed.
 */
@ApplicationScoped
public class SensorHealthRecorder {
    /** One sensor's health as its newest written heartbeat reported it. */
    public record Reported(UUID sensorId, Instant at, Health health) {
    }

    private static final String UPSERT = "with v as (select * from unnest(?::uuid[], ?::timestamptz[], ?::text[], "
            + "?::text[], ?::text[]) as v(id, at, status, fp, checks)), "
            + "old as (select h.sensor_id, h.status from sensor_health h where h.sensor_id in (select id from v)), "
            + "up as (insert into sensor_health as h (sensor_id, status, fingerprint, checks, since, reported_at) "
            + "select v.id, v.status, v.fp, v.checks::jsonb, v.at, v.at from v "
            + "on conflict (sensor_id) do update set status = excluded.status, fingerprint = excluded.fingerprint, "
            + "checks = excluded.checks, reported_at = excluded.reported_at, "
            + "since = case when h.status <> excluded.status then excluded.since else h.since end "
            + "where h.fingerprint <> excluded.fingerprint and h.reported_at <= excluded.reported_at "
            + "returning h.sensor_id, h.status) "
            + "select up.sensor_id, coalesce(old.status, 'OK'), up.status from up "
            + "left join old on old.sensor_id = up.sensor_id where coalesce(old.status, 'OK') <> up.status";

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final SystemEvents events;

    @Inject
    SensorHealthRecorder(AgroalDataSource dataSource, ObjectMapper json, SystemEvents events) {
        this.dataSource = dataSource;
        this.json = json;
        this.events = events;
    }

    /**
     * Must run in the transaction that holds these sensors' rows (the heartbeat flush).
     *
     * @return how many sensors changed status
     */
    public int record(List<Reported> reports) throws SQLException {
        if (reports.isEmpty()) {
            return 0;
        }
        int n = reports.size();
        String[] ids = new String[n];
        String[] at = new String[n];
        String[] status = new String[n];
        String[] fingerprints = new String[n];
        String[] checks = new String[n];
        Map<UUID, Health> byId = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Reported r = reports.get(i);
            ids[i] = r.sensorId().toString();
            at[i] = r.at().toString();
            status[i] = r.health().status().name();
            fingerprints[i] = HealthChecks.fingerprint(r.health());
            checks[i] = write(r.health());
            byId.put(r.sensorId(), r.health());
        }
        List<SystemEvent> raised = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setArray(1, c.createArrayOf("text", ids));
            ps.setArray(2, c.createArrayOf("text", at));
            ps.setArray(3, c.createArrayOf("text", status));
            ps.setArray(4, c.createArrayOf("text", fingerprints));
            ps.setArray(5, c.createArrayOf("text", checks));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    raised.add(event(id, Health.Status.valueOf(rs.getString(2)), byId.get(id)));
                }
            }
        }
        events.recordAll(raised);
        return raised.size();
    }

    private static SystemEvent event(UUID sensor, Health.Status before, Health now) {
        return switch (now.status()) {
            case OK -> SystemEvent.of(NotificationType.SENSOR_HEALTH_RECOVERED, sensor,
                    "every health check is OK again (was " + before + ")");
            case DEGRADED -> SystemEvent.of(NotificationType.SENSOR_HEALTH_DEGRADED, sensor,
                    "health DEGRADED (was " + before + "): " + HealthChecks.failing(now));
            case FAILED -> SystemEvent.of(NotificationType.SENSOR_HEALTH_FAILED, sensor,
                    "health FAILED (was " + before + "): " + HealthChecks.failing(now));
        };
    }

    private String write(Health health) {
        try {
            return json.writeValueAsString(HealthChecks.sorted(health).stream().map(CheckView::of).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
