package io.sensorfleet.agent.settings;

import io.sensorfleet.lib.settings.SettingsCatalog;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Dates as the operator chose to see them on this sensor: {@code time.dateFormat} in
 * {@code time.timeZone}, from the settings last applied. Machine output (JSON) keeps ISO-8601.
 */
public final class DateDisplay {
    private final DateTimeFormatter format;
    private final ZoneId zone;

    DateDisplay(String pattern, ZoneId zone) {
        this.format = DateTimeFormatter.ofPattern(pattern);
        this.zone = zone;
    }

    /** The display of the settings in {@code stateDir}, or the catalogue defaults when none were applied. */
    public static DateDisplay of(SettingsStore store) {
        return of(store.current());
    }

    static DateDisplay of(Map<String, Object> values) {
        Object pattern = values.get("time.dateFormat");
        String p = pattern instanceof String s && SettingsCatalog.DATE_FORMATS.contains(s) ? s
                : SettingsCatalog.DATE_FORMATS.getFirst();
        ZoneId zone;
        try {
            zone = values.get("time.timeZone") instanceof String z ? ZoneId.of(z) : ZoneId.of("UTC");
        } catch (DateTimeException e) {
            zone = ZoneId.of("UTC");
        }
        return new DateDisplay(p, zone);
    }

    /** {@code 04/12/2026 21:05:00 Europe/Berlin}. */
    public String format(Instant at) {
        return format.format(at.atZone(zone)) + " " + zone.getId();
    }
}
