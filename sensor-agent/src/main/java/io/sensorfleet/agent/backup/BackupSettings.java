package io.sensorfleet.agent.backup;

import io.sensorfleet.agent.settings.SettingsStore;
import io.sensorfleet.lib.settings.SettingDefinition;
import io.sensorfleet.lib.settings.SettingsCatalog;

import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;

/**
 * The backup schedule as the configuration files say now ({@code backup.conf}, {@code time.conf},
 * pushed by the console), catalogue defaults for anything missing or unreadable.
 *
 * @param enabled   take the daily backup
 * @param dailyTime when, in {@code zone}
 * @param retention local backups kept (1–9)
 * @param zone      the sensor's time zone; also the zone of the time in backup names
 */
public record BackupSettings(boolean enabled, LocalTime dailyTime, int retention, ZoneId zone) {

    public static BackupSettings read(SettingsStore store) {
        return of(store.current());
    }

    static BackupSettings of(Map<String, Object> values) {
        boolean enabled = values.get("backup.enabled") instanceof Boolean b ? b : (Boolean) dflt("backup.enabled");
        LocalTime time = parse(values.get("backup.dailyTime"), LocalTime::parse, (String) dflt("backup.dailyTime"));
        int retention = values.get("backup.retention") instanceof Number n && n.intValue() >= 1 && n.intValue() <= 9
                ? n.intValue() : ((Number) dflt("backup.retention")).intValue();
        ZoneId zone = parse(values.get("time.timeZone"), ZoneId::of, (String) dflt("time.timeZone"));
        return new BackupSettings(enabled, time, retention, zone);
    }

    private static Object dflt(String key) {
        return SettingsCatalog.find(key).map(SettingDefinition::defaultValue).orElseThrow();
    }

    private static <T> T parse(Object value, java.util.function.Function<String, T> parser, String fallback) {
        if (value instanceof String s) {
            try {
                return parser.apply(s);
            } catch (DateTimeException e) {
                // a hand-edited file with a bad value: the default, as if it were missing
            }
        }
        return parser.apply(fallback);
    }
}
