package io.sensorfleet.console.activation;

import io.sensorfleet.console.common.Sql;
import io.sensorfleet.console.sensors.SensorStore;
import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.platform.AuditContext;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.sensors.Sensor;
import io.sensorfleet.lib.activation.ActivationClaims;
import io.sensorfleet.lib.activation.ActivationFile;
import io.sensorfleet.lib.activation.ActivationMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Issues activation files, renames sensors through them, and confirms installations. A rename
 * takes effect when the sensor installs the file that carries the new name: until then the
 * inventory keeps the old one and shows the pending file.
 */
@ApplicationScoped
@Transactional
public class ActivationService {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /** An issued file, without its content. */
    public record FileView(UUID id, UUID sensorId, String sensorName, ActivationMode mode, Instant issuedAt,
                           Instant expiresAt, String kid, String issuedBy, Instant installedAt) {
    }

    private final SensorStore sensors;
    private final EntityManager em;
    private final ActivationKeys keys;
    private final ConsoleIdentity console;
    private final AuditContext audit;
    private final Clock clock;

    ActivationService(SensorStore sensors, EntityManager em, ActivationKeys keys, ConsoleIdentity console,
                      AuditContext audit, Clock clock) {
        this.sensors = sensors;
        this.em = em;
        this.keys = keys;
        this.console = console;
        this.audit = audit;
        this.clock = clock;
    }

    public FileView issue(UUID sensorId, ActivationMode mode, Integer validDays, String actor) {
        Sensor s = sensor(sensorId);
        return issue(s, s.name, mode, validDays, actor);
    }

    /** Renaming issues a file carrying the new name, in the sensor's current mode. */
    public FileView rename(UUID sensorId, String name, String actor) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ProblemException.badRequest("name: 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        Sensor s = sensor(sensorId);
        ActivationMode mode = s.activationMode == null ? ActivationMode.CONSOLE_CONNECTED : ActivationMode.valueOf(s.activationMode);
        Integer days = mode == ActivationMode.LOCALLY_MANAGED && s.activationExpiresAt != null
                ? (int) Math.max(1, Duration.between(clock.instant(), s.activationExpiresAt).toDays()) : null;
        audit.detail("rename '" + s.name + "' to '" + name + "' pending installation of the new activation file");
        return issue(s, name, mode, days, actor);
    }

    /**
     * The sensor says it installed a file. Refused when the file was not issued for it or a newer
     * one was issued since ("file valid but rejected by the console": a newer file supersedes it).
     */
    public FileView confirmInstalled(UUID sensorId, UUID fileId) {
        Sensor s = Sensor.findById(sensorId);
        if (s == null) {
            throw new ProblemException(ProblemType.SENSOR_UNKNOWN,
                    "this console no longer knows the sensor (it was deleted or replaced); connect it again");
        }
        FileView f = file(sensorId, fileId);
        FileView latest = files(sensorId).get(0);
        if (!latest.id().equals(fileId)) {
            throw new ProblemException(ProblemType.ACTIVATION_SUPERSEDED, "activation file " + fileId
                    + " was replaced by a newer one issued at " + latest.issuedAt() + "; install that one");
        }
        em.createNativeQuery("update activation_files set installed_at = ?1 where id = ?2")
                .setParameter(1, clock.instant()).setParameter(2, fileId).executeUpdate();
        sensors.activationInstalled(sensorId, f.sensorName(), fileId, f.mode().name(), f.expiresAt());
        return file(sensorId, fileId);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    @SuppressWarnings("unchecked")
    public List<FileView> files(UUID sensorId) {
        return Sql.list(em, "select id, sensor_id, sensor_name, mode, issued_at, expires_at, "
                + "kid, issued_by, installed_at from activation_files where sensor_id = ?1 order by issued_at desc, id",
                ActivationService::view, sensorId);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public String content(UUID sensorId, UUID fileId) {
        file(sensorId, fileId);
        return (String) em.createNativeQuery("select content from activation_files where id = ?1")
                .setParameter(1, fileId).getSingleResult();
    }

    private FileView issue(Sensor s, String name, ActivationMode mode, Integer validDays, String actor) {
        if (mode == ActivationMode.LOCALLY_MANAGED && (validDays == null || validDays < 1 || validDays > 3650)) {
            throw ProblemException.badRequest("validDays: a LOCALLY_MANAGED file needs 1 to 3650 days");
        }
        if (mode == ActivationMode.CONSOLE_CONNECTED && validDays != null) {
            throw ProblemException.badRequest("validDays: a CONSOLE_CONNECTED file does not expire");
        }
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        Instant expires = mode == ActivationMode.LOCALLY_MANAGED ? now.plus(Duration.ofDays(validDays)) : null;
        ActivationKeys.Signing key = keys.current();
        String content = ActivationFile.sign(new ActivationClaims(id.toString(), s.id.toString(), name, mode, now, expires,
                console.id().toString()), key.key(), key.kid());
        em.createNativeQuery("insert into activation_files (id, sensor_id, sensor_name, mode, issued_at, expires_at, kid, "
                        + "content, issued_by) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                .setParameter(1, id).setParameter(2, s.id).setParameter(3, name).setParameter(4, mode.name())
                .setParameter(5, now).setParameter(6, expires).setParameter(7, key.kid()).setParameter(8, content)
                .setParameter(9, actor).executeUpdate();
        audit.target("sensor:" + s.id);
        return file(s.id, id);
    }

    private FileView file(UUID sensorId, UUID fileId) {
        return files(sensorId).stream().filter(f -> f.id().equals(fileId)).findFirst()
                .orElseThrow(() -> new ProblemException(ProblemType.ACTIVATION_UNKNOWN,
                        "activation file " + fileId + " was not issued for sensor " + sensorId));
    }

    private Sensor sensor(UUID id) {
        Sensor s = Sensor.findById(id);
        if (s == null) {
            throw ProblemException.notFound("sensor", id);
        }
        return s;
    }

    private static FileView view(Sql.Row r) {
        return new FileView(r.uuid(0), r.uuid(1), r.string(2), ActivationMode.valueOf(r.string(3)),
                r.instant(4), r.instant(5), r.string(6), r.string(7), r.instant(8));
    }
}
