package io.sensorfleet.console.updates;

import io.sensorfleet.console.common.Sql;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.common.ProductVersion;
import io.sensorfleet.console.sensors.SensorAssignment;
import io.sensorfleet.console.sensors.SensorFilter;
import io.sensorfleet.console.sensors.SensorService;
import io.sensorfleet.lib.packages.UpdateManifest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Operator changes to rollouts and packages; the {@link RolloutDriver} does the rest. */
@ApplicationScoped
@Transactional
public class RolloutService {
    static final int MAX_SOAK_SECONDS = 7 * 24 * 3600;
    static final int MAX_WATCH_SECONDS = 24 * 3600;

    /**
     * Which sensors, how fast, and when. Exactly one of sensorIds, zoneIds, siteIds, filter and all.
     * soakSeconds and watchSeconds default to the configuration's; startAt (ISO-8601 with offset) and
     * window (a daily window) are optional.
     */
    public record Request(UUID packageId, List<UUID> sensorIds, List<UUID> zoneIds, List<UUID> siteIds,
                          SensorAssignment.FilterSpec filter, Boolean all, Integer canarySize, Integer batchSize,
                          Integer maxParallel, Integer failureThresholdPercent, Integer soakSeconds,
                          Integer watchSeconds, String startAt, RolloutSchedule.WindowRequest window) {
        /** Without soak, watch window or schedule: the configuration's defaults, at once. */
        public Request(UUID packageId, List<UUID> sensorIds, List<UUID> zoneIds, List<UUID> siteIds,
                       SensorAssignment.FilterSpec filter, Boolean all, Integer canarySize, Integer batchSize,
                       Integer maxParallel, Integer failureThresholdPercent) {
            this(packageId, sensorIds, zoneIds, siteIds, filter, all, canarySize, batchSize, maxParallel,
                    failureThresholdPercent, null, null, null, null);
        }
    }

    private final EntityManager em;
    private final SensorService sensors;
    private final UpdateTasks tasks;
    private final PackageStore store;
    private final Clock clock;
    private final UpdatesConfig config;

    RolloutService(EntityManager em, SensorService sensors, UpdateTasks tasks, PackageStore store, Clock clock,
                   UpdatesConfig config) {
        this.em = em;
        this.config = config;
        this.sensors = sensors;
        this.tasks = tasks;
        this.store = store;
        this.clock = clock;
    }

    public UUID create(Request r, String actor) {
        int canary = bounded(r.canarySize(), 1, 0, 1000, "canarySize");
        int batch = bounded(r.batchSize(), 10, 1, 10_000, "batchSize");
        int parallel = bounded(r.maxParallel(), batch, 1, 10_000, "maxParallel");
        int threshold = bounded(r.failureThresholdPercent(), 0, 0, 100, "failureThresholdPercent");
        int soak = bounded(r.soakSeconds(), (int) Math.min(config.soakSeconds(), MAX_SOAK_SECONDS), 0,
                MAX_SOAK_SECONDS, "soakSeconds");
        int watch = bounded(r.watchSeconds(), (int) Math.min(config.watchSeconds(), MAX_WATCH_SECONDS), 0,
                MAX_WATCH_SECONDS, "watchSeconds");
        Instant now = clock.instant();
        RolloutSchedule schedule = RolloutSchedule.parse(r.startAt(), r.window(), now);
        if (r.packageId() == null) {
            throw ProblemException.badRequest("packageId: required");
        }
        List<Sql.Row> pkgRows = rows("select manifest from update_packages where id = ?1", r.packageId());
        if (pkgRows.isEmpty()) {
            throw ProblemException.notFound("update package", r.packageId());
        }
        UpdateManifest pkg = PackageStore.manifest(pkgRows.get(0).string(0));
        Targets t = targets(r);
        if (t.ids().isEmpty()) {
            throw ProblemException.badRequest("no sensor matches " + t.description());
        }
        List<RolloutPlan.Sensor> found = new ArrayList<>();
        for (Sql.Row s : rows("select id, name, software_version from sensors where id = any(cast(?1 as uuid[]))",
                (Object) t.ids().stream().map(UUID::toString).toArray(String[]::new))) {
            found.add(new RolloutPlan.Sensor(s.uuid(0), s.string(1), s.string(2)));
        }
        if (found.size() < t.ids().size()) {
            throw ProblemException.badRequest((t.ids().size() - found.size()) + " of the listed sensors do not exist");
        }
        List<UpdateManifest> available = new ArrayList<>();
        for (Sql.Row m : rows("select manifest from update_packages")) {
            available.add(PackageStore.manifest(m.string(0)));
        }
        RolloutPlan.Plan plan = RolloutPlan.of(found, pkg, available, ProductVersion.current(), canary, batch);
        UUID id = UUID.randomUUID();
        String state = plan.batches() == 0 ? "FINISHED_WITH_FAILURES" : schedule.open(now) ? "RUNNING" : "SCHEDULED";
        RolloutSchedule.Window w = schedule.window();
        em.createNativeQuery("insert into update_rollouts (id, package_id, target, canary_size, batch_size, max_parallel, "
                        + "failure_threshold_pct, state, batches, created_by, created_at, updated_at, finished_at, "
                        + "soak_seconds, watch_seconds, start_at, window_start, window_end, window_zone, started_at) "
                        + "values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13, ?14, ?15, "
                        + "cast(?16 as time), cast(?17 as time), ?18, ?19)")
                .setParameter(1, id).setParameter(2, r.packageId()).setParameter(3, t.description())
                .setParameter(4, canary).setParameter(5, batch).setParameter(6, parallel).setParameter(7, threshold)
                .setParameter(8, state)
                .setParameter(9, plan.batches()).setParameter(10, actor).setParameter(11, now)
                .setParameter(12, plan.batches() == 0 ? now : null).setParameter(13, soak).setParameter(14, watch)
                .setParameter(15, schedule.startAt()).setParameter(16, w == null ? null : w.fromText())
                .setParameter(17, w == null ? null : w.toText()).setParameter(18, w == null ? null : w.zone().getId())
                .setParameter(19, state.equals("SCHEDULED") ? null : now).executeUpdate();
        for (RolloutPlan.Target target : plan.targets()) {
            UUID targetId = UUID.randomUUID();
            String stage = target.batch() == null ? "REFUSED" : "WAITING";
            em.createNativeQuery("insert into update_targets (id, rollout_id, sensor_id, sensor_name, batch, position, "
                            + "stage, from_version, reason, updated_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
                    .setParameter(1, targetId).setParameter(2, id).setParameter(3, target.sensorId())
                    .setParameter(4, target.name()).setParameter(5, target.batch()).setParameter(6, target.position())
                    .setParameter(7, stage).setParameter(8, target.fromVersion()).setParameter(9, target.refusal())
                    .setParameter(10, now).executeUpdate();
            tasks.event(targetId, stage, null, target.refusal(), now);
        }
        return id;
    }

    public void pause(UUID id) {
        transition(id, "'RUNNING'", "PAUSED", "only a running rollout can be paused");
    }

    /**
     * Resumes a paused rollout, or one a sensor's health or connection halted once the operator
     * judged it: the sensors that halted it are not checked again. A rollout halted by failed or
     * rolled-back sensors goes on by retrying them instead.
     */
    public void resume(UUID id) {
        List<Sql.Row> r = rows("select state, failure_threshold_pct from update_rollouts where id = ?1 for update", id);
        if (r.isEmpty()) {
            throw ProblemException.notFound("rollout", id);
        }
        if (r.get(0).string(0).equals("HALTED") && RolloutDriver.overThreshold(em, id, r.get(0).intValue(1))) {
            throw UpdateProblem.rolloutState("the rollout was halted by failed or rolled-back sensors: retry them, "
                    + "or cancel the rollout");
        }
        transition(id, "'PAUSED', 'HALTED'", "RUNNING", "only a paused or halted rollout can be resumed");
    }

    /** Cancels (a scheduled one too): sensors not started yet are left out; sensors already updating finish what they do. */
    public void cancel(UUID id) {
        transition(id, "'SCHEDULED', 'RUNNING', 'PAUSED', 'HALTED'", "CANCELLED", "the rollout has ended already");
        Instant now = clock.instant();
        em.createNativeQuery("update update_targets set stage = 'CANCELLED', reason = 'the rollout was cancelled', "
                        + "finished_at = ?1, updated_at = ?1 where rollout_id = ?2 "
                        + "and stage in ('WAITING', 'BLOCKED', 'QUEUED')")
                .setParameter(1, now).setParameter(2, id).executeUpdate();
        tasks.announce();
    }

    /** Queues the failed and rolled-back sensors again and lets the rollout go on. */
    public int retry(UUID id) {
        List<Sql.Row> r = rows("select state from update_rollouts where id = ?1 for update", id);
        if (r.isEmpty()) {
            throw ProblemException.notFound("rollout", id);
        }
        String state = r.get(0).string(0);
        if (state.equals("CANCELLED")) {
            throw UpdateProblem.rolloutState("a cancelled rollout cannot be retried; start a new one");
        }
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Sql.Row> again = Sql.rows(em, "update update_targets set stage = 'WAITING', percent = null, "
                        + "reason = null, log = null, offered_at = null, finished_at = null, gate_reason = null, "
                        + "health_before = null, checks_before = null, "
                        + "updated_at = ?1 where rollout_id = ?2 and stage in ('FAILED', 'ROLLED_BACK') "
                        + "returning id, batch", now, id);
        if (again.isEmpty()) {
            throw UpdateProblem.rolloutState("the rollout has no failed sensors to retry");
        }
        int first = again.stream().mapToInt(a -> a.intValue(1)).min().orElse(0);
        em.createNativeQuery("update update_rollouts set state = 'RUNNING', halt_reason = null, finished_at = null, soak_until = null, "
                        + "current_batch = least(current_batch, ?1), updated_at = ?2 where id = ?3")
                .setParameter(1, first).setParameter(2, now).setParameter(3, id).executeUpdate();
        for (Sql.Row a : again) {
            tasks.event(a.uuid(0), "WAITING", null, "retry", now);
        }
        return again.size();
    }

    /** Deletes a package no unfinished rollout uses; its file goes after the row. */
    public void deletePackage(UUID id) {
        if (rows("select id from update_packages where id = ?1", id).isEmpty()) {
            throw ProblemException.notFound("update package", id);
        }
        if (!rows("select id from update_rollouts where package_id = ?1 and state in ('SCHEDULED', 'RUNNING', 'PAUSED', 'HALTED')",
                id).isEmpty()) {
            throw UpdateProblem.rolloutState("a rollout of this package is not finished; cancel it first");
        }
        em.createNativeQuery("delete from update_rollouts where package_id = ?1").setParameter(1, id).executeUpdate();
        em.createNativeQuery("delete from update_packages where id = ?1").setParameter(1, id).executeUpdate();
        io.sensorfleet.console.common.AfterCommit.run(() -> store.deleteFile(id));
    }

    private void transition(UUID id, String from, String to, String refusal) {
        int n = em.createNativeQuery("update update_rollouts set state = ?1, updated_at = ?2 where id = ?3 "
                        + "and state in (" + from + ")")
                .setParameter(1, to).setParameter(2, clock.instant()).setParameter(3, id).executeUpdate();
        if (n == 0) {
            if (rows("select id from update_rollouts where id = ?1", id).isEmpty()) {
                throw ProblemException.notFound("rollout", id);
            }
            throw UpdateProblem.rolloutState(refusal);
        }
    }

    private record Targets(List<UUID> ids, String description) {
    }

    private Targets targets(Request r) {
        int given = (r.sensorIds() != null ? 1 : 0) + (r.zoneIds() != null ? 1 : 0) + (r.siteIds() != null ? 1 : 0)
                + (r.filter() != null ? 1 : 0) + (Boolean.TRUE.equals(r.all()) ? 1 : 0);
        if (given != 1) {
            throw ProblemException.badRequest("give exactly one of sensorIds, zoneIds, siteIds, filter and all: true");
        }
        Set<UUID> ids = new LinkedHashSet<>();
        if (r.sensorIds() != null) {
            ids.addAll(nonNull(r.sensorIds(), "sensorIds"));
            return new Targets(List.copyOf(ids), ids.size() + " listed sensors");
        }
        if (r.zoneIds() != null) {
            for (UUID z : nonNull(r.zoneIds(), "zoneIds")) {
                ids.addAll(sensors.ids(new SensorFilter(null, null, null, z, null, null, null, null)));
            }
            return new Targets(List.copyOf(ids), "zones " + r.zoneIds());
        }
        if (r.siteIds() != null) {
            for (UUID s : nonNull(r.siteIds(), "siteIds")) {
                ids.addAll(sensors.ids(new SensorFilter(null, null, null, null, null, s, null, null)));
            }
            return new Targets(List.copyOf(ids), "sites " + r.siteIds());
        }
        if (r.filter() != null) {
            return new Targets(sensors.ids(r.filter().toFilter()), "sensors matching " + r.filter());
        }
        return new Targets(sensors.ids(new SensorFilter(null, null, null, null, null, null, null, null)), "all sensors");
    }

    private static List<UUID> nonNull(List<UUID> ids, String field) {
        if (ids.isEmpty() || ids.size() > 100_000 || ids.stream().anyMatch(java.util.Objects::isNull)) {
            throw ProblemException.badRequest(field + ": 1 to 100000 ids, none null");
        }
        return ids;
    }

    private static int bounded(Integer v, int dflt, int min, int max, String field) {
        int x = v == null ? dflt : v;
        if (x < min || x > max) {
            throw ProblemException.badRequest(field + ": from " + min + " to " + max);
        }
        return x;
    }

    private List<Sql.Row> rows(String sql, Object... params) {
        return Sql.rows(em, sql, params);
    }
}
