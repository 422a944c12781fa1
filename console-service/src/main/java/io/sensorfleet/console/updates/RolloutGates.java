package io.sensorfleet.console.updates;

import io.sensorfleet.console.common.Sql;
import io.sensorfleet.console.health.CheckView;
import io.sensorfleet.console.health.SensorHealthQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What halts a rollout besides its failure threshold: a sensor that rolled back (at once, whatever
 * the threshold), and, among the sensors of the batch being worked on or soaked, one that went
 * DISCONNECTED or reports a worse health than when its update started (OK to DEGRADED or FAILED,
 * DEGRADED to FAILED). Called by the {@link RolloutDriver} under the rollout's row lock, so each
 * decision is made once whatever the number of instances; the target that halted the rollout keeps
 * the reason, so it halts it once.
 */
@ApplicationScoped
class RolloutGates {
    /** The history entry of the sensor that halted its rollout. */
    static final String HALTED_ROLLOUT = "HALTED_ROLLOUT";
    private static final String RANK = "case %s when 'OK' then 0 when 'DEGRADED' then 1 when 'FAILED' then 2 end";

    private final EntityManager em;
    private final SensorHealthQuery health;
    private final UpdateTasks tasks;

    RolloutGates(EntityManager em, SensorHealthQuery health, UpdateTasks tasks) {
        this.em = em;
        this.health = health;
        this.tasks = tasks;
    }

    /** Remembers each of these targets' health as its update starts: what the gate compares with later. */
    void baseline(List<UUID> targetIds) {
        if (targetIds.isEmpty()) {
            return;
        }
        List<Sql.Row> started = Sql.rows(em, "update update_targets t set checks_before = null, health_before = "
                        + "(select h.status from sensor_health h where h.sensor_id = t.sensor_id) "
                        + "where t.id = any(cast(?1 as uuid[])) returning t.id, t.sensor_id",
                (Object) ids(targetIds));
        Map<UUID, List<CheckView>> failing = health.failing(started.stream().map(r -> r.uuid(1)).toList());
        for (Sql.Row r : started) {
            List<CheckView> checks = failing.get(r.uuid(1));
            if (checks != null) {
                em.createNativeQuery("update update_targets set checks_before = cast(?1 as text[]) where id = ?2")
                        .setParameter(1, checks.stream().map(CheckView::name).toArray(String[]::new))
                        .setParameter(2, r.uuid(0)).executeUpdate();
            }
        }
    }

    /** The first sensor that rolled back and has not halted the rollout yet, as the halt reason. */
    Optional<String> rolledBack(UUID rolloutId, Instant now) {
        Sql.Row t = Sql.row(em, "select id, sensor_name, reason from update_targets where rollout_id = ?1 "
                        + "and stage = 'ROLLED_BACK' and gate_reason is null order by finished_at, position limit 1",
                rolloutId);
        if (t == null) {
            return Optional.empty();
        }
        return Optional.of(mark(t.uuid(0), "sensor " + t.string(1) + ": ROLLED_BACK to its previous version: "
                + (t.string(2) == null ? "no reason given" : t.string(2)), now));
    }

    /**
     * The first updated sensor of the batch that went DISCONNECTED or less healthy since its update
     * started, as the halt reason naming the checks that are failing now and were not before.
     */
    Optional<String> worsened(UUID rolloutId, int batch, Instant now) {
        Sql.Row t = Sql.row(em, "select t.id, t.sensor_name, t.sensor_id, coalesce(t.health_before, 'OK'), h.status, "
                + "s.connectivity, s.last_seen, array_to_string(t.checks_before, chr(10)) from update_targets t "
                + "join sensors s on s.id = t.sensor_id left join sensor_health h on h.sensor_id = t.sensor_id "
                + "where t.rollout_id = ?1 and t.batch = ?2 and t.stage = 'SUCCEEDED' and t.gate_reason is null "
                + "and (s.connectivity = 'DISCONNECTED' or " + RANK.formatted("h.status") + " > "
                + RANK.formatted("coalesce(t.health_before, 'OK')") + ") "
                + "order by t.finished_at, t.position limit 1", rolloutId, batch);
        if (t == null) {
            return Optional.empty();
        }
        String sensor = "sensor " + t.string(1);
        if ("DISCONNECTED".equals(t.string(5))) {
            return Optional.of(mark(t.uuid(0), sensor + ": DISCONNECTED after its update (last heartbeat "
                    + t.instant(6) + ")", now));
        }
        return Optional.of(mark(t.uuid(0), sensor + ": health " + t.string(4) + " (" + checks(t.uuid(2), t.string(7))
                + ") after its update, " + t.string(3) + " before", now));
    }

    /** "check disk:/data" or "checks a, b": those failing now that were not before, else every failing one. */
    private String checks(UUID sensorId, String before) {
        Set<String> was = before == null ? Set.of() : Set.copyOf(java.util.Arrays.asList(before.split("\n")));
        List<String> now = health.failing(List.of(sensorId)).getOrDefault(sensorId, List.of()).stream()
                .map(CheckView::name).toList();
        List<String> fresh = now.stream().filter(n -> !was.contains(n)).toList();
        List<String> named = fresh.isEmpty() ? now : fresh;
        if (named.isEmpty()) {
            return "no check named";
        }
        return (named.size() == 1 ? "check " : "checks ") + named.stream().collect(Collectors.joining(", "));
    }

    /** Keeps the reason on the target, and in its history, so it halts the rollout once. */
    private String mark(UUID targetId, String reason, Instant now) {
        em.createNativeQuery("update update_targets set gate_reason = ?1 where id = ?2").setParameter(1, reason)
                .setParameter(2, targetId).executeUpdate();
        tasks.event(targetId, HALTED_ROLLOUT, null, reason, now);
        return reason;
    }

    private static String[] ids(List<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }
}
