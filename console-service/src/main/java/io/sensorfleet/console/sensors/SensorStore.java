package io.sensorfleet.console.sensors;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.sensorfleet.console.common.JdbcTransaction.timestamptz;

/**
 * Every change other features make to the {@code sensors} table: the package that owns the table
 * owns its writes, and the connectivity they imply ({@link ConnectivityRule}). Each method joins
 * the caller's transaction.
 */
@ApplicationScoped
public class SensorStore {
    /** A sensor just enrolled with a connection string. */
    public record Enrolled(UUID id, String hostname, String name, UUID zoneId, String softwareVersion, UUID token,
                           Instant at, BigInteger certificateSerial, Instant certificateNotAfter) {
    }

    /** A sensor's report of applying a settings revision, as stored: JSON already rendered, secrets left out. */
    public record SettingsReport(UUID sensor, long revision, boolean applied, String error, String driftJson,
                                 String appliedValuesJson, Instant at) {
    }

    private static final String SETTINGS_STATE = ConnectivityRule.onSettings("s.connectivity",
            ConnectivityRule.settingsState("case when v.ok then v.rev else s.applied_settings_revision end",
                    "s.desired_settings_revision", "v.drift", "v.err"));
    private static final String SETTINGS_REPORTS_SQL = "update sensors s set "
            + "applied_settings_revision = case when v.ok then v.rev else s.applied_settings_revision end, "
            + "settings_error = v.err, settings_drift = cast(v.drift as jsonb), settings_reported_at = v.at, "
            + "applied_settings = coalesce(cast(v.vals as jsonb), s.applied_settings), "
            + "connectivity_since = " + ConnectivityRule.since("s.connectivity", SETTINGS_STATE, "s.connectivity_since", "v.at")
            + ", connectivity = " + SETTINGS_STATE + " "
            + "from unnest(cast(? as uuid[]), cast(? as int8[]), cast(? as boolean[]), cast(? as text[]), "
            + "cast(? as text[]), cast(? as text[]), cast(? as timestamptz[])) as v(id, rev, ok, err, drift, vals, at) "
            + "where s.id = v.id";
    private static final String DESIRED_STATE = ConnectivityRule.onSettings("connectivity",
            ConnectivityRule.settingsState("applied_settings_revision", "?1", "settings_drift", "settings_error"));
    private static final String DESIRED_SQL = "update sensors set desired_settings_revision = ?1, "
            + "connectivity_since = " + ConnectivityRule.since("connectivity", DESIRED_STATE, "connectivity_since", "?2")
            + ", connectivity = " + DESIRED_STATE + " where id = any(cast(?3 as uuid[]))";

    private static final String ENROLLED_SQL = "insert into sensors (id, name, hostname, zone_id, software_version, "
            + "enrolled_at, enrolled_with_token, last_seen, connectivity, connectivity_since, certificate_serial, "
            + "certificate_not_after) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String RENEWED_SQL = "update sensors set certificate_serial = ?, certificate_not_after = ? "
            + "where id = ? returning name";
    private static final String CERTIFICATE_SQL = "insert into sensor_certificates (serial, sensor_id, fingerprint, "
            + "not_before, not_after, issued_at) values (?, ?, ?, ?, ?, ?)";

    private final EntityManager em;
    private final AgroalDataSource dataSource;

    SensorStore(EntityManager em, AgroalDataSource dataSource) {
        this.em = em;
        this.dataSource = dataSource;
    }

    /** A certificate the internal CA issued to a sensor, as recorded for the CRL and the inventory. */
    public record IssuedCertificate(UUID sensorId, BigInteger serial, String fingerprint, Instant notBefore,
                                    Instant notAfter, Instant issuedAt) {
    }

    /**
     * Adds an enrolled sensor in the caller's JDBC transaction: connected and in sync from the start,
     * as its first heartbeat will say. Columns not named keep their defaults (settings revisions 0).
     */
    public void enrolled(Connection c, Enrolled e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ENROLLED_SQL)) {
            ps.setObject(1, e.id());
            ps.setString(2, e.name());
            ps.setString(3, e.hostname());
            ps.setObject(4, e.zoneId());
            ps.setString(5, e.softwareVersion());
            ps.setObject(6, timestamptz(e.at()));
            ps.setObject(7, e.token());
            ps.setObject(8, timestamptz(e.at()));
            ps.setString(9, Connectivity.SYNCED.name());
            ps.setObject(10, timestamptz(e.at()));
            ps.setBigDecimal(11, new BigDecimal(e.certificateSerial()));
            ps.setObject(12, timestamptz(e.certificateNotAfter()));
            ps.executeUpdate();
        }
    }

    /** Records a sensor's new certificate in the caller's JDBC transaction; its name, or null if it no longer exists. */
    public String certificateRenewed(Connection c, UUID sensor, BigInteger serial, Instant notAfter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(RENEWED_SQL)) {
            ps.setBigDecimal(1, new BigDecimal(serial));
            ps.setObject(2, timestamptz(notAfter));
            ps.setObject(3, sensor);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Adds a certificate issued to a sensor ({@code sensor_certificates}) in the caller's JDBC transaction. */
    public void certificateIssued(Connection c, IssuedCertificate cert) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CERTIFICATE_SQL)) {
            ps.setBigDecimal(1, new BigDecimal(cert.serial()));
            ps.setObject(2, cert.sensorId());
            ps.setString(3, cert.fingerprint());
            ps.setObject(4, timestamptz(cert.notBefore()));
            ps.setObject(5, timestamptz(cert.notAfter()));
            ps.setObject(6, timestamptz(cert.issuedAt()));
            ps.executeUpdate();
        }
    }

    /** The activation file a sensor installed, and the name the file carries. */
    public void activationInstalled(UUID sensor, String name, UUID fileId, String mode, Instant expiresAt) {
        Sensor s = em.find(Sensor.class, sensor);
        if (s != null) {
            s.name = name;
            s.activationFileId = fileId;
            s.activationMode = mode;
            s.activationExpiresAt = expiresAt;
        }
    }

    /** The version a sensor runs after an update ended. */
    public void softwareVersion(UUID sensor, String version) {
        em.createNativeQuery("update sensors set software_version = ?1 where id = ?2")
                .setParameter(1, version).setParameter(2, sensor).executeUpdate();
    }

    /** A new desired settings revision for these sensors; those in sync are out of sync until they apply it. */
    public void desiredSettings(List<UUID> sensors, long revision, Instant at) {
        if (sensors.isEmpty()) {
            return;
        }
        em.createNativeQuery(DESIRED_SQL)
                .setParameter(1, revision).setParameter(2, at)
                .setParameter(3, sensors.stream().map(UUID::toString).toArray(String[]::new)).executeUpdate();
    }

    /** Sensors' reports of applying settings, in one statement (in its own connection, outside any transaction). */
    public void settingsReported(List<SettingsReport> reports) throws SQLException {
        int n = reports.size();
        Object[][] cols = new Object[7][n];
        for (int i = 0; i < n; i++) {
            SettingsReport r = reports.get(i);
            cols[0][i] = r.sensor().toString();
            cols[1][i] = r.revision();
            cols[2][i] = r.applied();
            cols[3][i] = r.error();
            cols[4][i] = r.driftJson();
            cols[5][i] = r.appliedValuesJson();
            cols[6][i] = r.at().toString();
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SETTINGS_REPORTS_SQL)) {
            for (int i = 0; i < 7; i++) {
                ps.setArray(i + 1, c.createArrayOf("text", toText(cols[i])));
            }
            ps.executeUpdate();
        }
    }

    private static String[] toText(Object[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] == null ? null : values[i].toString();
        }
        return out;
    }
}
