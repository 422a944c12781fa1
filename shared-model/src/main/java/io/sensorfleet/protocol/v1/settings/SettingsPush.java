package io.sensorfleet.protocol.v1.settings;

import java.util.Map;

/**
 * The console's answer to the settings long-poll: the effective settings of this sensor.
 *
 * @param revision the sensor's desired settings revision; always present
 * @param values   every setting that has a value (defaults included), by catalogue key; secrets
 *                 included, since the sensor needs them; always present
 */
public record SettingsPush(long revision, Map<String, Object> values) {
}
