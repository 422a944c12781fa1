package io.sensorfleet.protocol.v1.work;

import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.backup.BackupTask;
import io.sensorfleet.protocol.v1.settings.SettingsPush;
import io.sensorfleet.protocol.v1.update.UpdateTask;

/**
 * The console's answer to the one work long-poll ({@link AgentPaths#WORK}): everything the console
 * wants from this sensor now. At least one field is present; the sensor handles each present one
 * exactly as it would the answer of the older per-feature long-poll.
 *
 * @param settings the effective settings, present when the desired revision differs from the
 *                 {@code settingsKnown} the sensor sent
 * @param backup   a backup or restore task handed to this sensor; absent when there is none
 * @param update   an update task handed to this sensor; absent when there is none
 */
public record Work(SettingsPush settings, BackupTask backup, UpdateTask update) {
}
