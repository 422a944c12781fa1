package io.sensorfleet.console.sessiontickets;

import io.agroal.api.AgroalDataSource;
import io.sensorfleet.console.secrets.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table {@code tls_ticket_keys}: creates the next key when the schedule says so, deletes the
 * expired ones, and returns the keys in use, opened. Instances doing this at once serialise on a
 * PostgreSQL advisory lock, so they never create two keys for one rotation.
 */
@ApplicationScoped
class TicketKeyStore {
    /** A key as netty wants it: 16-byte name, 16-byte HMAC key, 16-byte AES key. */
    record TicketKey(byte[] name, byte[] hmacKey, byte[] aesKey) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PART = 16;

    private final AgroalDataSource dataSource;
    private final SecretBox box;

    TicketKeyStore(AgroalDataSource dataSource, SecretBox box) {
        this.dataSource = dataSource;
        this.box = box;
    }

    /** Rotates as due at {@code now} and returns the keys to install, the encrypting one first. */
    List<TicketKey> rotateAndLoad(TicketKeySchedule schedule, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext('tls_ticket_keys'))")) {
                    lock.execute();
                }
                Map<String, byte[]> sealed = new LinkedHashMap<>();
                List<TicketKeySchedule.Key> keys = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select name, created_at, secret_sealed from tls_ticket_keys");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String name = HexFormat.of().formatHex(rs.getBytes(1));
                        keys.add(new TicketKeySchedule.Key(name, rs.getTimestamp(2).toInstant()));
                        sealed.put(name, rs.getBytes(3));
                    }
                }
                for (TicketKeySchedule.Key k : keys) {
                    if (schedule.expired(k, now)) {
                        delete(c, k.name());
                    }
                }
                if (schedule.newKeyDue(keys, now)) {
                    TicketKeySchedule.Key fresh = create(c, now, sealed);
                    keys.add(fresh);
                }
                c.commit();
                return schedule.inUse(keys, now).stream().map(k -> open(k.name(), sealed.get(k.name()))).toList();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private TicketKeySchedule.Key create(Connection c, Instant now, Map<String, byte[]> sealed) throws SQLException {
        byte[] name = random(PART);
        byte[] secret = random(2 * PART);
        String hex = HexFormat.of().formatHex(name);
        byte[] blob = box.seal(secret, associated(hex));
        Arrays.fill(secret, (byte) 0);
        try (PreparedStatement ps = c.prepareStatement(
                "insert into tls_ticket_keys (name, created_at, secret_sealed) values (?, ?, ?)")) {
            ps.setBytes(1, name);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setBytes(3, blob);
            ps.executeUpdate();
        }
        sealed.put(hex, blob);
        return new TicketKeySchedule.Key(hex, now);
    }

    private static void delete(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from tls_ticket_keys where name = ?")) {
            ps.setBytes(1, HexFormat.of().parseHex(name));
            ps.executeUpdate();
        }
    }

    private TicketKey open(String name, byte[] blob) {
        byte[] secret = box.open(blob, associated(name));
        return new TicketKey(HexFormat.of().parseHex(name), Arrays.copyOfRange(secret, 0, PART),
                Arrays.copyOfRange(secret, PART, 2 * PART));
    }

    /** Binds the sealed secret to its key name, so one key's secret cannot be moved to another row. */
    private static String associated(String hexName) {
        return "tls_ticket_key:" + hexName;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
