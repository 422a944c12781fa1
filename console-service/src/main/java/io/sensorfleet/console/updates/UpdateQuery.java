package io.sensorfleet.console.updates;

import io.sensorfleet.console.common.Sql;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.common.ProductVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads for the operator API. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class UpdateQuery {
    private static final String PACKAGE = "select id, version, manifest, size_bytes, package_sha256, key_id, "
            + "uploaded_by, uploaded_at from update_packages";
    private static final String ROLLOUT = "select r.id, r.package_id, p.version, r.target, r.state, r.halt_reason, "
            + "r.canary_size, r.batch_size, r.max_parallel, r.failure_threshold_pct, r.current_batch, r.batches, "
            + "r.created_by, r.created_at, r.finished_at, r.soak_seconds, r.soak_until, r.watch_seconds, r.start_at, "
            + "to_char(r.window_start, 'HH24:MI'), to_char(r.window_end, 'HH24:MI'), r.window_zone, r.started_at "
            + "from update_rollouts r join update_packages p on p.id = r.package_id";
    private static final String TARGET_COLUMNS = "t.id, t.sensor_id, t.sensor_name, t.batch, t.stage, t.percent, "
            + "t.from_version, t.reason, t.attempts, t.log is not null, t.stage_started_at, t.started_at, t.finished_at, "
            + "t.health_before, t.gate_reason";
    private static final String TARGET = "select " + TARGET_COLUMNS + " from update_targets t";

    private final EntityManager em;
    private final Clock clock;

    UpdateQuery(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    public List<UpdateViews.Package> packages() {
        return rows(PACKAGE + " order by uploaded_at desc").stream().map(UpdateQuery::pkg).toList();
    }

    public UpdateViews.Package pkg(UUID id) {
        List<Sql.Row> r = rows(PACKAGE + " where id = ?1", id);
        if (r.isEmpty()) {
            throw ProblemException.notFound("update package", id);
        }
        return pkg(r.get(0));
    }

    public Page<UpdateViews.Rollout> rollouts(int page, int size) {
        List<UpdateViews.Rollout> items = rows(ROLLOUT + " order by r.created_at desc, r.id limit ?1 offset ?2",
                size, page * size).stream().map(this::rollout).toList();
        long total = ((Number) em.createNativeQuery("select count(*) from update_rollouts").getSingleResult()).longValue();
        return new Page<>(items, page, size, total);
    }

    public UpdateViews.Rollout rollout(UUID id) {
        List<Sql.Row> r = rows(ROLLOUT + " where r.id = ?1", id);
        if (r.isEmpty()) {
            throw ProblemException.notFound("rollout", id);
        }
        return rollout(r.get(0));
    }

    public Page<UpdateViews.Target> targets(UUID rolloutId, String stage, int page, int size) {
        rollout(rolloutId);
        String where = " where rollout_id = ?1 and (cast(?2 as text) is null or stage = ?2)";
        List<UpdateViews.Target> items = rows(TARGET + where + " order by position limit ?3 offset ?4", rolloutId, stage,
                size, page * size).stream().map(UpdateQuery::target).toList();
        long total = ((Number) em.createNativeQuery("select count(*) from update_targets t" + where)
                .setParameter(1, rolloutId).setParameter(2, stage).getSingleResult()).longValue();
        return new Page<>(items, page, size, total);
    }

    /** The latest sensors whose update failed or was rolled back, newest first (dashboard). */
    public List<UpdateViews.FailedUpdate> recentFailures(int limit) {
        return rows("select t.rollout_id, t.sensor_id, t.sensor_name, t.stage, t.reason, t.finished_at from update_targets t "
                + "where t.stage in ('FAILED', 'ROLLED_BACK') order by t.finished_at desc nulls last limit ?1", limit)
                .stream().map(r -> new UpdateViews.FailedUpdate(r.uuid(0), r.uuid(1), r.string(2), r.string(3),
                        r.string(4), r.instant(5))).toList();
    }

    public UpdateViews.TargetDetail target(UUID rolloutId, UUID sensorId) {
        List<Sql.Row> r = rows(TARGET + " where rollout_id = ?1 and sensor_id = ?2", rolloutId, sensorId);
        if (r.isEmpty()) {
            throw ProblemException.notFound("sensor of rollout " + rolloutId, sensorId);
        }
        UpdateViews.Target t = target(r.get(0));
        List<UpdateViews.StageEvent> history = rows("select stage, percent, detail, at from update_stage_events "
                + "where target_id = ?1 order by id", t.taskId()).stream()
                .map(e -> new UpdateViews.StageEvent(e.string(0), e.nullableInt(1), e.string(2), e.instant(3))).toList();
        Object log = em.createNativeQuery("select log from update_targets where id = ?1").setParameter(1, t.taskId())
                .getSingleResult();
        return new UpdateViews.TargetDetail(t, history, (String) log);
    }

    /** A sensor's updates across rollouts, newest first. */
    public List<UpdateViews.SensorUpdate> ofSensor(UUID sensorId, int limit) {
        return rows("select t.rollout_id, p.version, " + TARGET_COLUMNS + " from update_targets t "
                        + "join update_rollouts r on r.id = t.rollout_id "
                        + "join update_packages p on p.id = r.package_id where t.sensor_id = ?1 "
                        + "order by r.created_at desc limit ?2", sensorId, limit).stream()
                .map(r -> new UpdateViews.SensorUpdate(r.uuid(0), r.string(1),
                        target(r.skip(2)))).toList();
    }

    public UpdateViews.Fleet fleet() {
        List<UpdateViews.VersionCount> counts = new ArrayList<>(rows("select software_version, count(*) from sensors "
                + "group by software_version").stream()
                .map(r -> new UpdateViews.VersionCount(r.string(0), r.longValue(1))).toList());
        counts.sort((a, b) -> io.sensorfleet.protocol.v1.update.Versions.compare(b.version(), a.version()));
        return new UpdateViews.Fleet(ProductVersion.current(), counts,
                counts.stream().mapToLong(UpdateViews.VersionCount::sensors).sum());
    }

    private UpdateViews.Rollout rollout(Sql.Row r) {
        Map<String, Long> stages = new LinkedHashMap<>();
        rows("select stage, count(*) from update_targets where rollout_id = ?1 group by stage order by stage", r.get(0))
                .forEach(s -> stages.put(s.string(0), s.longValue(1)));
        UpdateViews.Window window = r.string(21) == null ? null
                : new UpdateViews.Window(r.string(19), r.string(20), r.string(21));
        return new UpdateViews.Rollout(r.uuid(0), r.uuid(1), r.string(2), r.string(3), r.string(4),
                r.string(5), r.intValue(6), r.intValue(7), r.intValue(8), r.intValue(9), r.intValue(10), r.intValue(11), stages,
                r.string(12), r.instant(13), r.instant(14), r.intValue(15), r.instant(16), r.nullableInt(17),
                r.instant(18), window, r.instant(22),
                waitingFor(r.string(4), r.instant(18), window, r.instant(16), r.intValue(10)));
    }

    /** In words, what keeps a scheduled or running rollout from starting sensors right now. */
    private String waitingFor(String state, Instant startAt, UpdateViews.Window w, Instant soakUntil, int batch) {
        if (!state.equals("SCHEDULED") && !state.equals("RUNNING")) {
            return null;
        }
        Instant now = clock.instant();
        if (startAt != null && now.isBefore(startAt)) {
            return "its start time " + startAt;
        }
        if (w != null && !new RolloutSchedule(null, new RolloutSchedule.Window(LocalTime.parse(w.from()),
                LocalTime.parse(w.to()), ZoneId.of(w.zone()))).open(now)) {
            return "its daily window " + w.from() + "–" + w.to() + " " + w.zone();
        }
        if (soakUntil != null && now.isBefore(soakUntil)) {
            return "the soak of batch " + batch + " until " + soakUntil;
        }
        return null;
    }

    private static UpdateViews.Package pkg(Sql.Row r) {
        return new UpdateViews.Package(r.uuid(0), r.string(1), PackageStore.manifest(r.string(2)),
                r.longValue(3), r.string(4), r.string(5), r.string(6), r.instant(7));
    }

    private static UpdateViews.Target target(Sql.Row r) {
        return new UpdateViews.Target(r.uuid(0), r.uuid(1), r.string(2), r.nullableInt(3), r.string(4),
                r.nullableInt(5), r.string(6), r.string(7), r.intValue(8), r.bool(9), r.instant(10),
                r.instant(11), r.instant(12), r.string(13), r.string(14));
    }

    private List<Sql.Row> rows(String sql, Object... params) {
        return Sql.rows(em, sql, params);
    }
}
