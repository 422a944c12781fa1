package io.sensorfleet.console.settings;

import io.sensorfleet.console.sensors.SensorStore;
import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.secrets.SecretBox;
import io.sensorfleet.console.sites.Site;
import io.sensorfleet.console.zones.Zone;
import io.sensorfleet.lib.settings.SettingDefinition;
import io.sensorfleet.lib.settings.SettingsCatalog;
import io.sensorfleet.lib.settings.SettingsValidator;
import io.sensorfleet.lib.settings.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Changes settings at a scope. A change is validated as a whole — each value, the confirmation
 * system properties need, and the network rules on the resulting settings of every sensor it
 * reaches — and refused entirely if anything is wrong. Saved, it becomes a revision: every sensor
 * it reaches gets that revision as its desired one (and is OUT_OF_SYNC until it acknowledges), and
 * a notification tells every console instance to push it to the sensors waiting on them.
 */
@ApplicationScoped
@Transactional
public class SettingsService {
    /** The outcome of a change. */
    public record Revision(long revision, int sensorsAffected) {
    }

    private final SensorStore sensorStore;
    private final EntityManager em;
    private final EffectiveSettings effective;
    private final SecretBox box;
    private final AuditContext audit;
    private final Clock clock;

    SettingsService(SensorStore sensorStore, EntityManager em, EffectiveSettings effective, SecretBox box,
                    AuditContext audit, Clock clock) {
        this.sensorStore = sensorStore;
        this.em = em;
        this.effective = effective;
        this.box = box;
        this.audit = audit;
        this.clock = clock;
    }

    /** Sets (non-null) or removes (null) values at one scope. */
    public Revision change(SettingsScope scope, UUID scopeId, Map<String, Object> values, boolean confirm, String actor) {
        UUID id = scope == SettingsScope.GLOBAL ? SettingsScope.NONE : requireTarget(scope, scopeId);
        return apply(scope, List.of(id), values, confirm, actor);
    }

    /** Sets the same values at SENSOR scope on each of the given sensors. */
    public Revision changeSensors(List<UUID> sensorIds, Map<String, Object> values, boolean confirm, String actor) {
        if (sensorIds.isEmpty()) {
            throw ProblemException.badRequest("no sensor matches");
        }
        return apply(SettingsScope.SENSOR, sensorIds, values, confirm, actor);
    }

    /** Copies one sensor's own (SENSOR scope) values, except its identity, to other sensors. */
    @SuppressWarnings("unchecked")
    public Revision duplicate(UUID from, List<UUID> to, String actor) {
        requireTarget(SettingsScope.SENSOR, from);
        Map<String, Object> values = new LinkedHashMap<>();
        for (EffectiveSettings.Row r : effective.rows(List.of(from.toString()))) {
            SettingDefinition d = SettingsCatalog.find(r.key()).orElseThrow();
            if (r.scope() == SettingsScope.SENSOR && r.scopeId().equals(from) && !d.sensorOnly()) {
                values.put(r.key(), r.sealed() != null
                        ? new String(box.open(r.sealed(), "setting:" + r.key()), StandardCharsets.UTF_8) : r.value());
            }
        }
        List<UUID> targets = to.stream().filter(t -> !t.equals(from)).toList();
        if (values.isEmpty()) {
            throw new ProblemException(ProblemType.NOTHING_TO_COPY, "sensor " + from + " has no settings of its own to copy "
                    + "(network address and host name are never copied)");
        }
        audit.detail("copied " + values.keySet() + " from sensor " + from);
        return changeSensors(targets, values, true, actor);
    }

    /** Makes the sensor's current settings its desired revision again, e.g. to undo local drift. */
    public Revision reapply(UUID sensorId, String actor) {
        requireTarget(SettingsScope.SENSOR, sensorId);
        return apply(SettingsScope.SENSOR, List.of(sensorId), Map.of(), true, actor);
    }

    private Revision apply(SettingsScope scope, List<UUID> scopeIds, Map<String, Object> values, boolean confirm,
                           String actor) {
        List<Violation> violations = new ArrayList<>(SettingsValidator.validate(values));
        values.keySet().forEach(k -> SettingsCatalog.find(k).filter(d -> d.sensorOnly() && scope != SettingsScope.SENSOR)
                .ifPresent(d -> violations.add(new Violation(k, "differs per sensor: set it at SENSOR scope only"))));
        if (!violations.isEmpty()) {
            throw SettingsProblem.invalid(violations);
        }
        List<String> dangerous = values.keySet().stream()
                .filter(k -> SettingsCatalog.find(k).map(SettingDefinition::needsConfirm).orElse(false)).toList();
        if (!dangerous.isEmpty() && !confirm) {
            throw SettingsProblem.confirmationRequired(dangerous);
        }
        List<UUID> sensors = affected(scope, scopeIds);
        if (values.keySet().stream().anyMatch(k -> k.startsWith("network."))) {
            checkNetwork(scope, scopeIds, values, sensors);
        }
        // One change at a time, on every instance: revisions then commit in the order of their ids,
        // which SettingsWaiters relies on to read only the sensors of revisions it has not seen.
        em.createNativeQuery("select pg_advisory_xact_lock(hashtext('settings_revisions'))").getSingleResult();
        Instant now = clock.instant();
        for (UUID id : scopeIds) {
            save(scope, id, values, now);
        }
        long revision = ((Number) em.createNativeQuery("insert into settings_revisions (at, actor, scope, scope_id, "
                        + "changes, sensors_affected) values (?1, ?2, ?3, ?4, cast(?5 as jsonb), ?6) returning id")
                .setParameter(1, now).setParameter(2, actor).setParameter(3, scope.name())
                .setParameter(4, scopeIds.size() == 1 ? scopeIds.get(0) : null)
                .setParameter(5, effective.write(masked(values))).setParameter(6, sensors.size())
                .getSingleResult()).longValue();
        sensorStore.desiredSettings(sensors, revision, now);
        // Delivered to every instance's listener when this transaction commits.
        em.createNativeQuery("select pg_notify('" + SettingsWaiters.CHANNEL + "', ?1)")
                .setParameter(1, String.valueOf(revision)).getSingleResult();
        audit.target(scope.name().toLowerCase() + (scopeIds.size() == 1 && scope != SettingsScope.GLOBAL
                ? ":" + scopeIds.get(0) : scope == SettingsScope.GLOBAL ? "" : " (" + scopeIds.size() + " sensors)"));
        if (!values.isEmpty()) {
            audit.detail("revision " + revision + ": " + masked(values));
        }
        return new Revision(revision, sensors.size());
    }

    private void save(SettingsScope scope, UUID id, Map<String, Object> values, Instant now) {
        values.forEach((key, value) -> {
            if (value == null) {
                em.createNativeQuery("delete from settings_values where scope = ?1 and scope_id = ?2 and key = ?3")
                        .setParameter(1, scope.name()).setParameter(2, id).setParameter(3, key).executeUpdate();
                return;
            }
            boolean secret = SettingsCatalog.find(key).map(SettingDefinition::secret).orElse(false);
            em.createNativeQuery("insert into settings_values (scope, scope_id, key, value, secret_sealed, updated_at) "
                            + "values (?1, ?2, ?3, cast(?4 as jsonb), ?5, ?6) on conflict (scope, scope_id, key) "
                            + "do update set value = excluded.value, secret_sealed = excluded.secret_sealed, "
                            + "updated_at = excluded.updated_at")
                    .setParameter(1, scope.name()).setParameter(2, id).setParameter(3, key)
                    .setParameter(4, secret ? null : effective.write(value))
                    .setParameter(5, secret ? box.seal(value.toString().getBytes(StandardCharsets.UTF_8), "setting:" + key)
                            : null)
                    .setParameter(6, now).executeUpdate();
        });
    }

    private void checkNetwork(SettingsScope scope, List<UUID> scopeIds, Map<String, Object> values, List<UUID> sensors) {
        List<EffectiveSettings.Row> overlay = new ArrayList<>();
        for (UUID id : scopeIds) {
            values.forEach((k, v) -> overlay.add(new EffectiveSettings.Row(scope, id, k, v, null)));
        }
        // A scope without sensors still gets its own values checked together.
        if (sensors.isEmpty()) {
            List<Violation> v = SettingsValidator.validateNetwork(values);
            if (!v.isEmpty()) {
                throw SettingsProblem.invalid(v);
            }
            return;
        }
        for (var e : effective.resolve(sensors, false, overlay).entrySet()) {
            List<Violation> v = SettingsValidator.validateNetwork(EffectiveSettings.plain(e.getValue()));
            if (!v.isEmpty()) {
                throw SettingsProblem.invalid(v.stream().map(x -> new Violation(x.key(), x.rule()
                        + " (on sensor " + e.getKey() + ")")).toList());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private List<UUID> affected(SettingsScope scope, Collection<UUID> ids) {
        String where = switch (scope) {
            case GLOBAL -> "true";
            case SITE -> "zone_id in (select id from zones where site_id = any(cast(?1 as uuid[])))";
            case ZONE -> "zone_id = any(cast(?1 as uuid[]))";
            case SENSOR -> "id = any(cast(?1 as uuid[]))";
        };
        var q = em.createNativeQuery("select id from sensors where " + where, UUID.class);
        if (scope != SettingsScope.GLOBAL) {
            q.setParameter(1, ids.stream().map(UUID::toString).toArray(String[]::new));
        }
        return q.getResultList();
    }

    private UUID requireTarget(SettingsScope scope, UUID id) {
        boolean exists = switch (scope) {
            case GLOBAL -> true;
            case SITE -> id != null && Site.findById(id) != null;
            case ZONE -> id != null && Zone.findById(id) != null;
            case SENSOR -> id != null && em.createNativeQuery("select 1 from sensors where id = ?1")
                    .setParameter(1, id).getResultList().size() == 1;
        };
        if (!exists) {
            throw ProblemException.notFound(scope.name().toLowerCase(), id);
        }
        return id;
    }

    static Map<String, Object> masked(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v != null && SettingsCatalog.find(k).map(SettingDefinition::secret)
                .orElse(false) ? "(set)" : v));
        return out;
    }
}
