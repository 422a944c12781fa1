package io.sensorfleet.console.agentplane;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.sensorfleet.console.certificates.InternalCa;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * This instance's copy of the revoked sensor certificates, checked on every agent-plane request
 * without touching the database. It is refreshed from the database every poll interval (default
 * 2 s), so a revocation made through any instance is enforced by all of them within seconds.
 * Revocation times come from the database clock; each poll re-reads a minute of overlap so a
 * revocation committed late is not missed.
 */
@ApplicationScoped
public class RevocationList {
    private static final Logger LOG = Logger.getLogger(RevocationList.class);
    private static final Duration OVERLAP = Duration.ofMinutes(1);

    /** A CRL and the generation of the revoked set it was built from. */
    private record Crl(long generation, byte[] der) {
    }

    private final Map<BigInteger, InternalCa.Revoked> revoked = new ConcurrentHashMap<>();
    /** Counts changes of {@link #revoked}; a CRL of an older generation is rebuilt. */
    private final AtomicLong generation = new AtomicLong();
    private volatile Timestamp checkpoint;
    private volatile Crl crlCache;

    private final AgroalDataSource dataSource;
    private final Function<List<InternalCa.Revoked>, byte[]> signCrl;

    @Inject
    RevocationList(AgroalDataSource dataSource, InternalCa ca) {
        this(dataSource, list -> ca.crl(list, Duration.ofHours(1)));
    }

    RevocationList(AgroalDataSource dataSource, Function<List<InternalCa.Revoked>, byte[]> signCrl) {
        this.dataSource = dataSource;
        this.signCrl = signCrl;
    }

    void onStart(@Observes StartupEvent ev) {
        refresh();
    }

    public boolean isRevoked(BigInteger serial) {
        return revoked.containsKey(serial);
    }

    /**
     * The CRL in DER, rebuilt when the set changed. A build that raced a change is tagged with the
     * generation read before it, so it is served at most to that request and rebuilt on the next:
     * a plain "null means stale" cache kept such a CRL, without the new serial, until the next
     * revocation.
     */
    public byte[] crl() {
        long current = generation.get();
        Crl c = crlCache;
        if (c == null || c.generation() != current) {
            c = new Crl(current, signCrl.apply(new ArrayList<>(revoked.values())));
            crlCache = c;
        }
        return c.der();
    }

    /** Adds one revoked certificate; false if it was already known. */
    boolean add(BigInteger serial, Instant revokedAt) {
        if (revoked.putIfAbsent(serial, new InternalCa.Revoked(serial, revokedAt)) != null) {
            return false;
        }
        generation.incrementAndGet();
        return true;
    }

    @Scheduled(every = "${sensorfleet.agent-plane.revocation-poll-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void refresh() {
        // Read once: the startup call and the first scheduled one may overlap, and a checkpoint set
        // between building the statement and binding it left a parameter without a placeholder.
        Timestamp since = checkpoint;
        String sql = "select serial, revoked_at, now() from sensor_certificates where revoked_at is not null "
                + "and not_after > now()" + (since == null ? "" : " and revoked_at > ?");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (since != null) {
                ps.setTimestamp(1, since);
            }
            Timestamp dbNow = null;
            int added = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BigInteger serial = rs.getBigDecimal(1).toBigIntegerExact();
                    if (add(serial, rs.getTimestamp(2).toInstant())) {
                        added++;
                    }
                    dbNow = rs.getTimestamp(3);
                }
            }
            if (dbNow == null) {
                dbNow = now(c);
            }
            checkpoint = Timestamp.from(dbNow.toInstant().minus(OVERLAP));
            if (added > 0) {
                LOG.debugf("loaded %d newly revoked certificate(s)", added);
            }
        } catch (SQLException e) {
            LOG.warnf("cannot refresh revoked certificates, keeping the current list: %s", e.getMessage());
        }
    }

    private static Timestamp now(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select now()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }
}
