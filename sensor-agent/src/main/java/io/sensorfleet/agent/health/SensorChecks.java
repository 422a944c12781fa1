package io.sensorfleet.agent.health;

import io.sensorfleet.agent.activation.ActivationStore;
import io.sensorfleet.agent.backup.BackupSettings;
import io.sensorfleet.agent.backup.LocalBackup;
import io.sensorfleet.agent.backup.LocalBackups;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.agent.settings.SettingsStore;
import io.sensorfleet.protocol.v1.activation.ActivationState;
import io.sensorfleet.protocol.v1.heartbeat.Health.Status;
import io.sensorfleet.protocol.v1.heartbeat.HealthCheck;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The sensor's own records: its certificate, its activation file, its last backup. */
final class SensorChecks {
    private final HealthConfig config;
    private final ActivationStore activations;
    private final LocalBackups backups;
    private final SettingsStore settings;

    SensorChecks(HealthConfig config, Path stateDir) {
        this.config = config;
        this.activations = new ActivationStore(stateDir);
        this.backups = new LocalBackups(stateDir);
        this.settings = new SettingsStore(stateDir);
    }

    HealthCheck certificate(Identity identity, Instant now) {
        Instant notAfter = identity.certificateNotAfter();
        Duration left = Duration.between(now, notAfter);
        if (left.isNegative() || left.isZero()) {
            return new HealthCheck("certificate", Status.FAILED, "the sensor certificate expired at " + notAfter
                    + "; connect the sensor again", notAfter.toString());
        }
        if (left.compareTo(config.certificateWarning()) < 0) {
            return new HealthCheck("certificate", Status.DEGRADED, "the sensor certificate expires at " + notAfter
                    + " and was not renewed yet (renewal is automatic at two thirds of its life)", notAfter.toString());
        }
        return new HealthCheck("certificate", Status.OK, "valid until " + notAfter, notAfter.toString());
    }

    HealthCheck activation(String sensorId, Instant now) {
        Optional<ActivationState> state = activations.state(sensorId);
        if (state.isEmpty()) {
            return new HealthCheck("activation", Status.DEGRADED, "no activation file installed", null);
        }
        Instant expires = state.get().expiresAt();
        if (expires == null) {
            return new HealthCheck("activation", Status.OK, state.get().mode() + ", does not expire", null);
        }
        Duration left = Duration.between(now, expires);
        if (left.isNegative() || left.isZero()) {
            return new HealthCheck("activation", Status.FAILED, "the activation file expired at " + expires,
                    expires.toString());
        }
        if (left.compareTo(config.activationWarning()) < 0) {
            return new HealthCheck("activation", Status.DEGRADED, "the activation file expires at " + expires,
                    expires.toString());
        }
        return new HealthCheck("activation", Status.OK, "valid until " + expires, expires.toString());
    }

    HealthCheck lastBackup(Instant now) {
        BackupSettings schedule;
        try {
            schedule = BackupSettings.read(settings);
        } catch (RuntimeException e) {
            return new HealthCheck("backup", Status.DEGRADED, "backup settings unreadable: " + e.getMessage(), null);
        }
        Optional<LocalBackup> newest = backups.newest();
        if (!schedule.enabled()) {
            return new HealthCheck("backup", Status.OK, "daily backups are off (backup.enabled)"
                    + newest.map(b -> "; newest from " + b.takenAt()).orElse(""), null);
        }
        if (newest.isEmpty()) {
            return new HealthCheck("backup", Status.DEGRADED, "no successful backup on this sensor yet", null);
        }
        Duration age = Duration.between(newest.get().takenAt(), now);
        String hours = Long.toString(age.toHours());
        if (age.compareTo(config.backupMaxAge()) > 0) {
            return new HealthCheck("backup", Status.DEGRADED, "newest backup is " + hours + " h old (DEGRADED after "
                    + config.backupMaxAge().toHours() + " h)", hours);
        }
        return new HealthCheck("backup", Status.OK, "newest backup is " + hours + " h old", hours);
    }

    /** {@code system.diskUsageAlarmPercent} as the console set it, else the configured default. */
    int diskAlarmPercent() {
        Object value = settings.applied().values().get("system.diskUsageAlarmPercent");
        if (value instanceof Number n && n.intValue() > 0 && n.intValue() <= 100) {
            return n.intValue();
        }
        if (value instanceof String s) {
            try {
                return Integer.parseInt(s.strip());
            } catch (NumberFormatException e) {
                // the console validates it; an unreadable value falls back to the default
            }
        }
        return config.diskAlarmPercent();
    }
}
