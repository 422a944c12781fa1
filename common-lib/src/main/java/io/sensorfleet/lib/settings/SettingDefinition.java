package io.sensorfleet.lib.settings;

import java.util.List;

/**
 * One setting the console can push.
 *
 * @param key            dotted name, category first, e.g. {@code time.timeZone}
 * @param type           value kind
 * @param defaultValue   value when no scope sets it; null means "not set"
 * @param description    for operators
 * @param min            smallest INTEGER value
 * @param max            largest INTEGER value (or longest TEXT)
 * @param choices        allowed values of a CHOICE
 * @param sensorOnly     only meaningful per sensor (an IP address), so refused at broader scopes
 * @param secret         write-only: never returned by the console API, stored encrypted
 * @param needsConfirm   a wrong value can damage the sensor: changing it needs an explicit confirmation
 */
public record SettingDefinition(String key, SettingType type, Object defaultValue, String description,
                                long min, long max, List<String> choices, boolean sensorOnly, boolean secret,
                                boolean needsConfirm) {

    public String category() {
        return key.substring(0, key.indexOf('.'));
    }
}
