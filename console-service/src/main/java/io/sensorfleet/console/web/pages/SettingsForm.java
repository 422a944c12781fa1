package io.sensorfleet.console.web.pages;

import io.sensorfleet.lib.settings.SettingDefinition;
import io.sensorfleet.lib.settings.SettingType;
import io.sensorfleet.lib.settings.SettingsCatalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The settings editor's fields, one per key of the catalogue, and the change a submitted form
 * makes: the values that differ from what the scope holds now. Values are converted to the JSON
 * shapes the catalogue's validator checks; the validation itself stays the service's.
 */
public final class SettingsForm {
    /** Field name prefix of a setting in the form. */
    public static final String PREFIX = "v.";

    /** One field: the definition, the value set at this scope (shown as text), whether the scope sets it. */
    public record Field(SettingDefinition definition, String value, boolean set) {
        public String name() {
            return PREFIX + definition.key();
        }

        public String id() {
            return "s-" + definition.key().replace('.', '-');
        }

        public String kind() {
            return definition.type().name();
        }

        public String placeholder() {
            return definition.defaultValue() == null ? "" : "default: " + definition.defaultValue();
        }
    }

    /** Fields of one category (network, time, backup, certificates, system). */
    public record Category(String name, List<Field> fields) {
    }

    private SettingsForm() {
    }

    /** The fields of a scope; per-sensor settings (an IP address) only on a sensor's form. */
    static List<Category> fields(Map<String, Object> atScope, boolean sensorScope) {
        Map<String, List<Field>> byCategory = new LinkedHashMap<>();
        for (SettingDefinition d : SettingsCatalog.all()) {
            if (d.sensorOnly() && !sensorScope) {
                continue;
            }
            Object v = atScope.get(d.key());
            byCategory.computeIfAbsent(d.category(), c -> new ArrayList<>()).add(new Field(d, text(v), v != null));
        }
        return byCategory.entrySet().stream().map(e -> new Category(e.getKey(), e.getValue())).toList();
    }

    /**
     * What to send to the settings service: a typed value for every field that now differs, null
     * for one emptied (back to the broader scope). A write-only field left empty stays as it is.
     */
    static Map<String, Object> changes(Map<String, Object> atScope, Function<String, String> form) {
        Map<String, Object> changes = new LinkedHashMap<>();
        for (SettingDefinition d : SettingsCatalog.all()) {
            String raw = form.apply(PREFIX + d.key());
            String given = raw == null ? "" : raw.strip();
            Object current = atScope.get(d.key());
            if (given.isEmpty()) {
                if (current != null && !d.secret()) {
                    changes.put(d.key(), null);
                }
                continue;
            }
            Object value = typed(d, given);
            if (d.secret() || !Objects.equals(text(value), text(current))) {
                changes.put(d.key(), value);
            }
        }
        return changes;
    }

    private static Object typed(SettingDefinition d, String given) {
        if (d.type() == SettingType.BOOLEAN && ("true".equals(given) || "false".equals(given))) {
            return Boolean.valueOf(given);
        }
        if (d.type() == SettingType.INTEGER) {
            try {
                return Long.valueOf(given);
            } catch (NumberFormatException e) {
                return given; // the validator names the field and the rule
            }
        }
        if (d.type() == SettingType.IP_ADDRESS_LIST) {
            return Arrays.stream(given.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
        }
        return given;
    }

    private static String text(Object v) {
        if (v == null) {
            return "";
        }
        return v instanceof List<?> l ? String.join(", ", l.stream().map(String::valueOf).toList()) : v.toString();
    }
}
