package io.sensorfleet.console.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.console.secrets.SecretBox;
import io.sensorfleet.lib.settings.SettingDefinition;
import io.sensorfleet.lib.settings.SettingsCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
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

    /** One scope row, as read. */
    record Row(SettingsScope scope, UUID scopeId, String key, Object value, byte[] sealed) {
    }

    @Inject
    EntityManager em;
    @Inject
    ObjectMapper json;
    @Inject
    SecretBox box;

    /**
     * @param openSecrets true for the agent (it needs the proxy password); false for operators, who
     *                    see {@code "(set)"} instead
     * @param overlay     values about to be saved at a scope, to validate a change before saving it
     */
    @SuppressWarnings("unchecked")
    public Map<UUID, Map<String, Value>> resolve(Collection<UUID> sensorIds, boolean openSecrets, List<Row> overlay) {
        if (sensorIds.isEmpty()) {
            return Map.of();
        }
        String[] ids = sensorIds.stream().map(UUID::toString).toArray(String[]::new);
        List<Object[]> places = em.createNativeQuery("select s.id, s.zone_id, z.site_id from sensors s "
                + "left join zones z on z.id = s.zone_id where s.id = any(cast(?1 as uuid[]))")
                .setParameter(1, ids).getResultList();
        Set<String> scopeIds = new HashSet<>();
        for (Object[] p : places) {
            for (Object o : p) {
                if (o != null) {
                    scopeIds.add(o.toString());
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
        for (Object[] p : places) {
            Map<String, Value> values = new LinkedHashMap<>();
            for (SettingDefinition d : SettingsCatalog.all()) {
                if (d.defaultValue() != null) {
                    values.put(d.key(), new Value(d.defaultValue(), null));
                }
            }
            layer(values, byScope.get(SettingsScope.GLOBAL + ":" + SettingsScope.NONE), SettingsScope.GLOBAL, openSecrets);
            if (p[2] != null) {
                layer(values, byScope.get(SettingsScope.SITE + ":" + p[2]), SettingsScope.SITE, openSecrets);
            }
            if (p[1] != null) {
                layer(values, byScope.get(SettingsScope.ZONE + ":" + p[1]), SettingsScope.ZONE, openSecrets);
            }
            layer(values, byScope.get(SettingsScope.SENSOR + ":" + p[0]), SettingsScope.SENSOR, openSecrets);
            out.put((UUID) p[0], values);
        }
        return out;
    }

    /** Just the values, for the agent. */
    public static Map<String, Object> plain(Map<String, Value> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v.value()));
        return out;
    }

    /** The rows set at GLOBAL and at the given site, zone and sensor ids. */
    @SuppressWarnings("unchecked")
    List<Row> rows(Collection<String> scopeIds) {
        List<Object[]> raw = em.createNativeQuery("select scope, scope_id, key, cast(value as text), secret_sealed "
                        + "from settings_values where scope = 'GLOBAL' or scope_id = any(cast(?1 as uuid[]))")
                .setParameter(1, scopeIds.toArray(String[]::new)).getResultList();
        List<Row> rows = new ArrayList<>(raw.size());
        for (Object[] r : raw) {
            rows.add(new Row(SettingsScope.valueOf((String) r[0]), (UUID) r[1], (String) r[2],
                    r[3] == null ? null : read((String) r[3]), (byte[]) r[4]));
        }
        return rows;
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
