package io.sensorfleet.console.sensors;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorfleet.console.agentplane.AgentPlaneServer;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.support.Api;
import io.sensorfleet.console.support.PostgresTestResource;
import io.sensorfleet.console.support.TestSensor;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A settings change to 50,000 sensors rewrote 50,000 rows in all twelve indexes of the table, and
 * their acknowledgements did it again: connectivity and the desired revision were indexed.
 * PostgreSQL then took one and a half cores for seconds on every push. The change and the
 * acknowledgement must both be HOT updates.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SettingsStateWritesTest {
    @Inject
    AgentPlaneServer agentPlane;
    @Inject
    InternalCa ca;
    @Inject
    SensorStore store;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void aChangeAndItsAcknowledgementRewriteTheSensorRowWithoutTouchingAnyIndex() {
        for (String index : strings("select indexdef from pg_indexes where tablename = 'sensors'")) {
            for (String column : new String[] {"connectivity", "desired_settings_revision", "applied_settings_revision",
                    "settings_error", "settings_drift", "settings_reported_at", "applied_settings"}) {
                assertFalse(index.contains(column), "a settings change or acknowledgement rewrites " + column + ": " + index);
            }
        }
        TestSensor s = new TestSensor("https://127.0.0.1:" + agentPlane.port(), ca.certificatePem());
        assertEquals(200, s.enroll(ConnectionString.parse(Api.connectionString(Map.of())).token()).statusCode());
        UUID id = UUID.fromString(s.identity().sensorId());

        // In one transaction, whose own counts PostgreSQL shows at once; rolled back, so nothing stays.
        List<String> seen = new ArrayList<>();
        RuntimeException rolledBack = new IllegalStateException("rolled back");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            // The backend's counts may still hold earlier transactions' (PostgreSQL sends them at most
            // once a second, never inside a transaction): what this one adds is the difference.
            long[] before = updateCounts();
            Instant at = Instant.now();
            store.desiredSettings(List.of(id), 7, at);
            seen.add(connectivity(id));
            try {
                store.settingsReported(List.of(new SensorStore.SettingsReport(id, 7, true, null, null, "{}", at)));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            seen.add(connectivity(id));
            long[] after = updateCounts();
            seen.add((after[0] - before[0]) + " updates, " + (after[1] - before[1]) + " HOT");
            throw rolledBack;
        }));
        assertSame(rolledBack, thrown);
        assertEquals(List.of("OUT_OF_SYNC", "SYNCED", "2 updates, 2 HOT"), seen);
        assertEquals("SYNCED", connectivity(id), "rolled back");
    }

    /** Updates of sensors and HOT ones among them that this backend has not reported yet. */
    private long[] updateCounts() {
        List<String> row = strings("select n_tup_upd || ' ' || n_tup_hot_upd from pg_stat_xact_user_tables "
                + "where relname = 'sensors' union all select '0 0' limit 1");
        String[] counts = row.getFirst().split(" ");
        return new long[] {Long.parseLong(counts[0]), Long.parseLong(counts[1])};
    }

    private String connectivity(UUID id) {
        return strings("select connectivity from sensors where id = '" + id + "'").getFirst();
    }

    private List<String> strings(String sql) {
        List<String> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }
}
