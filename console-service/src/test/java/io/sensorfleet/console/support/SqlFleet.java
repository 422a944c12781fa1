package io.sensorfleet.console.support;

import io.agroal.api.AgroalDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A fleet inserted straight into the database, for tests about lists and bulk operations at scale:
 * enrolling thousands of sensors is the benchmark's job. Names are the prefix and a five-digit
 * number from 00001; every 10th sensor runs 2.0.0 (the rest 1.0.0) and every 4th is DISCONNECTED
 * (the rest SYNCED).
 */
public final class SqlFleet {
    private SqlFleet() {
    }

    public static void insert(AgroalDataSource db, String prefix, int count) throws SQLException {
        try (Connection c = db.getConnection()) {
            insert(c, prefix, count);
        }
    }

    /** The same through a connection of the test's own (for a console running in its own process). */
    public static void insert(Connection c, String prefix, int count) throws SQLException {
        UUID token = UUID.randomUUID();
        {
            try (PreparedStatement ps = c.prepareStatement("insert into enrollment_tokens (id, token_hash, created_by, "
                    + "created_at, expires_at, used_at) values (?, ?, 'test', now(), now(), now())")) {
                ps.setObject(1, token);
                ps.setBytes(2, token.toString().getBytes());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into sensors (id, name, software_version, enrolled_at, "
                    + "enrolled_with_token, last_seen, connectivity, connectivity_since, certificate_serial, "
                    + "certificate_not_after) select gen_random_uuid(), ? || lpad(g::text, 5, '0'), "
                    + "case when g % 10 = 0 then '2.0.0' else '1.0.0' end, now(), ?, now(), "
                    + "case when g % 4 = 0 then 'DISCONNECTED' else 'SYNCED' end, now(), "
                    + "(random() * 1e18)::numeric + g, now() + interval '30 days' from generate_series(1, ?) g")) {
                ps.setString(1, prefix);
                ps.setObject(2, token);
                ps.setInt(3, count);
                ps.executeUpdate();
            }
        }
    }
}
