package io.sensorfleet.simulator;

import java.nio.file.Path;

/**
 * Which workloads run beside the heartbeats (all off by default).
 *
 * @param settingsPoll     every sensor long-polls its settings and acknowledges each revision
 * @param backupFile       the file simulated sensors upload when the console asks for a backup; null = no backups
 * @param backupSensors    how many sensors (the first ones) poll for backup tasks
 * @param alertsPerSecond  alerts per second the whole fleet sends while the phase is {@code alertPhase}; 0 = none
 * @param alertSensors     how many sensors (the first ones) share that rate
 * @param alertPhase       the phase in which alerts are sent
 */
public record Workloads(boolean settingsPoll, Path backupFile, int backupSensors, double alertsPerSecond,
                        int alertSensors, String alertPhase) {

    public static final Workloads NONE = new Workloads(false, null, 0, 0, 0, null);

    public Workloads {
        if (backupFile != null && backupSensors < 1) {
            throw new IllegalArgumentException("--backup-sensors must be at least 1 with --backup-file");
        }
        if (alertsPerSecond < 0) {
            throw new IllegalArgumentException("--alerts-per-second must not be negative");
        }
        if (alertsPerSecond > 0 && alertSensors < 1) {
            throw new IllegalArgumentException("--alert-sensors must be at least 1 with --alerts-per-second");
        }
        alertPhase = alertPhase == null || alertPhase.isBlank() ? "burst" : alertPhase.strip();
    }
}
