package io.sensorfleet.console.settings;

import io.sensorfleet.console.common.Sql;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.console.common.Page;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.lib.settings.SettingDefinition;
import io.sensorfleet.lib.settings.SettingsCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;

/** What operators read about settings: per sensor desired vs applied, per scope, history. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class SettingsQuery {
    /**
     * One key of a sensor.
     *
     * @param source where the desired value comes from: DEFAULT, GLOBAL, SITE, ZONE or SENSOR
     * @param inSync whether the sensor reported applying exactly that value
     */
    public record KeyState(String key, Object desired, String source, Object applied, boolean inSync) {
    }

    /** A sensor's settings. {@code drift} lists keys changed on the sensor itself. */
    public record SensorSettings(UUID sensorId, long desiredRevision, long appliedRevision, String error,
                                 List<String> drift, Instant reportedAt, List<KeyState> keys, List<String> differences) {
    }

    public record ScopeValues(String scope, UUID scopeId, Map<String, Object> values) {
    }

    public record RevisionView(long revision, Instant at, String actor, String scope, UUID scopeId,
                               Object changes, int sensorsAffected) {
    }

    private final EntityManager em;
    private final EffectiveSettings effective;
    private final ObjectMapper json;

    SettingsQuery(EntityManager em, EffectiveSettings effective, ObjectMapper json) {
        this.em = em;
        this.effective = effective;
        this.json = json;
    }

    @SuppressWarnings("unchecked")
    public SensorSettings sensor(UUID id) {
        Sql.Row r = Sql.row(em, "select desired_settings_revision, applied_settings_revision, "
                + "settings_error, cast(settings_drift as text), settings_reported_at, cast(applied_settings as text) "
                + "from sensors where id = ?1", id);
        if (r == null) {
            throw ProblemException.notFound("sensor", id);
        }
        Map<String, Object> applied = r.get(5) == null ? Map.of() : (Map<String, Object>) effective.read(r.string(5));
        List<String> drift = r.get(3) == null ? List.of() : (List<String>) effective.read(r.string(3));
        Map<String, EffectiveSettings.Value> desired = effective.resolve(List.of(id), false, List.of()).get(id);
        List<KeyState> keys = new ArrayList<>();
        List<String> differences = new ArrayList<>();
        for (String key : new TreeSet<>(union(desired.keySet(), applied.keySet()))) {
            EffectiveSettings.Value d = desired.get(key);
            boolean secret = SettingsCatalog.find(key).map(SettingDefinition::secret).orElse(false);
            Object want = d == null ? null : d.value();
            Object have = applied.get(key);
            boolean inSync = secret || Objects.equals(normal(want), normal(have)) && !drift.contains(key);
            if (!inSync) {
                differences.add(key);
            }
            keys.add(new KeyState(key, want, d == null ? null : d.source() == null ? "DEFAULT" : d.source().name(),
                    secret ? null : have, inSync));
        }
        return new SensorSettings(id, r.longValue(0), r.longValue(1), r.string(2), drift, r.instant(4), keys, differences);
    }

    public ScopeValues scope(SettingsScope scope, UUID id) {
        UUID scopeId = scope == SettingsScope.GLOBAL ? SettingsScope.NONE : id;
        Map<String, Object> values = new LinkedHashMap<>();
        effective.rows(List.of(scopeId.toString())).stream()
                .filter(r -> r.scope() == scope && r.scopeId().equals(scopeId))
                .forEach(r -> values.put(r.key(), r.sealed() != null ? "(set)" : r.value()));
        return new ScopeValues(scope.name(), scope == SettingsScope.GLOBAL ? null : id, values);
    }

    @SuppressWarnings("unchecked")
    public Page<RevisionView> revisions(int page, int size) {
        List<Object[]> rows = em.createNativeQuery("select id, at, actor, scope, scope_id, cast(changes as text), "
                        + "sensors_affected from settings_revisions order by id desc")
                .setFirstResult(page * size).setMaxResults(size).getResultList();
        long total = ((Number) em.createNativeQuery("select count(*) from settings_revisions").getSingleResult()).longValue();
        List<RevisionView> items = rows.stream().map(Sql.Row::of).map(r -> new RevisionView(r.longValue(0),
                r.instant(1), r.string(2), r.string(3), r.uuid(4), effective.read(r.string(5)), r.intValue(6))).toList();
        return new Page<>(items, page, size, total);
    }

    private static Object normal(Object v) {
        return v instanceof Number n ? n.longValue() : v;
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return s;
    }
}
