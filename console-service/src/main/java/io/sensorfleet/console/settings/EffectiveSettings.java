package io.sensorfleet.console.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.console.common.Sql;
import io.sensorfleet.console.secrets.SecretBox;
import io.sensorfleet.lib.settings.SettingDefinition;
import io.sensorfleet.lib.settings.SettingsCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Computes what each sensor should run with: catalogue defaults, overlaid by the GLOBAL, SITE,
 * ZONE and SENSOR values that apply to it. Works on a batch of sensors with two queries whatever
 * its size, so a push to 10,000 sensors does not cost 10,000 lookups.
 */
@ApplicationScoped
public class EffectiveSettings {
    /** A value and the scope it comes from ({@code null} source: the catalogue default). */
    public record Value(Object value, SettingsScope source) {
    }

    /** Where a sensor sits: the scopes whose settings reach it. */
    private record Place(UUID sensor, UUID zone, UUID site) {
    }

    /** One scope row, as read. */
    record Row(SettingsScope scope, UUID scopeId, String key, Object value, byte[] sealed) {
    }

    private final EntityManager em;
    private final ObjectMapper json;
    private final SecretBox box;

    EffectiveSettings(EntityManager em, ObjectMapper json, SecretBox box) {
        this.em = em;
        this.json = json;
        this.box = box;
    }

    /**
     * @param openSecrets true for the agent (it needs the proxy password); false for operators, who
     *                    see {@code "(set)"} instead
     * @param overlay     values about to be saved at a scope, to validate a change before saving it
     */
    public Map<UUID, Map<String, Value>> resolve(Collection<UUID> sensorIds, boolean openSecrets, List<Row> overlay) {
        if (sensorIds.isEmpty()) {
            return Map.of();
        }
        String[] ids = sensorIds.stream().map(UUID::toString).toArray(String[]::new);
        List<Place> places = Sql.list(em, "select s.id, s.zone_id, z.site_id from sensors s "
                + "left join zones z on z.id = s.zone_id where s.id = any(cast(?1 as uuid[]))",
                r -> new Place(r.uuid(0), r.uuid(1), r.uuid(2)), (Object) ids);
        Set<String> scopeIds = new HashSet<>();
        for (Place p : places) {
            for (UUID id : new UUID[]{p.sensor(), p.zone(), p.site()}) {
                if (id != null) {
                    scopeIds.add(id.toString());
                }
            }
        }
        Map<String, Map<String, Row>> byScope = new HashMap<>();
        for (Row r : rows(scopeIds)) {
            byScope.computeIfAbsent(r.scope() + ":" + r.scopeId(), k -> new LinkedHashMap<>()).put(r.key(), r);
        }
        for (Row r : overlay) {
            Map<String, Row> scope = byScope.computeIfAbsent(r.scope() + ":" + r.scopeId(), k -> new LinkedHashMap<>());
            if (r.value() == null && r.sealed() == null) {
                scope.remove(r.key());
            } else {
                scope.put(r.key(), r);
            }
        }
        Map<UUID, Map<String, Value>> out = new HashMap<>();
        // Sensors with no values of their own in the same zone (and so site) get the same result:
        // computed once, shared (unmodifiable). A push to 50,000 sensors of a few zones is a few
        // computations, not 50,000, on the thread that answers every waiting sensor.
        Map<Place, Map<String, Value>> shared = new HashMap<>();
        for (Place p : places) {
            Map<String, Row> own = byScope.get(SettingsScope.SENSOR + ":" + p.sensor());
            out.put(p.sensor(), own == null
                    ? shared.computeIfAbsent(new Place(null, p.zone(), p.site()), k -> layered(k, null, byScope, openSecrets))
                    : layered(p, own, byScope, openSecrets));
        }
        return out;
    }

    private Map<String, Value> layered(Place p, Map<String, Row> own, Map<String, Map<String, Row>> byScope,
                                       boolean openSecrets) {
        Map<String, Value> values = new LinkedHashMap<>();
        for (SettingDefinition d : SettingsCatalog.all()) {
            if (d.defaultValue() != null) {
                values.put(d.key(), new Value(d.defaultValue(), null));
            }
        }
        layer(values, byScope.get(SettingsScope.GLOBAL + ":" + SettingsScope.NONE), SettingsScope.GLOBAL, openSecrets);
        if (p.site() != null) {
            layer(values, byScope.get(SettingsScope.SITE + ":" + p.site()), SettingsScope.SITE, openSecrets);
        }
        if (p.zone() != null) {
            layer(values, byScope.get(SettingsScope.ZONE + ":" + p.zone()), SettingsScope.ZONE, openSecrets);
        }
        layer(values, own, SettingsScope.SENSOR, openSecrets);
        return Collections.unmodifiableMap(values);
    }

    /** Just the values, for the agent. */
    public static Map<String, Object> plain(Map<String, Value> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v.value()));
        return out;
    }

    /** The rows set at GLOBAL and at the given site, zone and sensor ids. */
    List<Row> rows(Collection<String> scopeIds) {
        return Sql.list(em, "select scope, scope_id, key, cast(value as text), secret_sealed "
                        + "from settings_values where scope = 'GLOBAL' or scope_id = any(cast(?1 as uuid[]))",
                r -> new Row(SettingsScope.valueOf(r.string(0)), r.uuid(1), r.string(2),
                        r.get(3) == null ? null : read(r.string(3)), r.bytes(4)),
                (Object) scopeIds.toArray(String[]::new));
    }

    private void layer(Map<String, Value> values, Map<String, Row> rows, SettingsScope scope, boolean openSecrets) {
        if (rows == null) {
            return;
        }
        rows.values().forEach(r -> {
            if (r.sealed() != null) {
                values.put(r.key(), new Value(openSecrets
                        ? new String(box.open(r.sealed(), "setting:" + r.key()), StandardCharsets.UTF_8) : "(set)", scope));
            } else if (r.value() != null) {
                values.put(r.key(), new Value(r.value(), scope));
            }
        });
    }

    Object read(String text) {
        try {
            return json.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored setting is not JSON", e);
        }
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
