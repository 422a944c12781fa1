package io.sensorfleet.protocol.v1.settings;

import java.util.List;
import java.util.Map;

/**
 * Sent by the agent after trying to apply a revision, and when it finds its configuration
 * changed locally (drift).
 *
 * @param revision      the revision this is about; required
 * @param applied       true when the sensor runs with that revision's values; required
 * @param reason        why it could not apply them; required when {@code applied} is false
 * @param appliedValues the values now in force on the sensor, secrets left out; optional
 * @param driftKeys     settings changed on the sensor itself since the revision was applied; optional
 */
public record SettingsAck(long revision, boolean applied, String reason, Map<String, Object> appliedValues,
                          List<String> driftKeys) {
}
