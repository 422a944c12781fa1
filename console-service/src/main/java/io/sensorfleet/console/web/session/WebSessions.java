package io.sensorfleet.console.web.session;

import io.quarkus.scheduler.Scheduled;
import io.sensorfleet.console.auth.AuthConfig;
import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.auth.User;
import io.sensorfleet.console.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Web console sessions, kept in PostgreSQL so that any console instance can serve any request.
 * A session ends on logout, after the inactivity timeout (by the injected clock), or at once when
 * its user is disabled or has the password reset (as login tokens do).
 */
@ApplicationScoped
@Transactional
public class WebSessions {
    /** A live session and who it belongs to, read fresh from the users table. */
    public record Active(byte[] idHash, UUID userId, String username, Role role, String timeZone, String dateFormat,
                         String flash) {
    }

    /** Touch the session at most this often: polling pages must not write on every request. */
    private static final Duration TOUCH_GRANULARITY = Duration.ofSeconds(15);

    private final EntityManager em;
    private final AuthConfig auth;
    private final Clock clock;

    WebSessions(EntityManager em, AuthConfig auth, Clock clock) {
        this.em = em;
        this.auth = auth;
        this.clock = clock;
    }

    /** Starts a session for the user; answers the id to put in the cookie (stored only as a hash). */
    public String open(User user) {
        String id = SessionCookies.randomId();
        Instant now = clock.instant();
        em.createNativeQuery("insert into web_sessions (id_hash, user_id, created_at, last_seen_at) values (?1, ?2, ?3, ?3)")
                .setParameter(1, SessionCookies.sha256(id)).setParameter(2, user.id).setParameter(3, now).executeUpdate();
        return id;
    }

    /**
     * The session of this cookie value if it is still valid. A request of the operator
     * ({@code activity}) counts as use and keeps the session alive; a page refreshing itself does
     * not, so an open dashboard does not defeat the inactivity timeout. A whole page
     * ({@code takeFlash}) takes the flash message.
     */
    public Optional<Active> resume(String id, boolean takeFlash, boolean activity) {
        if (id == null || id.isBlank() || id.length() > 100) {
            return Optional.empty();
        }
        byte[] hash = SessionCookies.sha256(id);
        Sql.Row r = Sql.row(em, "select s.last_seen_at, s.created_at, s.flash, u.id, u.username, u.role, "
                + "u.enabled, u.tokens_valid_after, u.ui_time_zone, u.ui_date_format from web_sessions s "
                + "join users u on u.id = s.user_id where s.id_hash = ?1", hash);
        if (r == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant lastSeen = r.instant(0);
        Instant created = r.instant(1);
        Instant validAfter = r.instant(7);
        boolean expired = lastSeen.plus(auth.sessionInactivityTimeout()).isBefore(now);
        if (expired || !r.bool(6) || validAfter != null && created.isBefore(validAfter)) {
            close(id);
            return Optional.empty();
        }
        String flash = takeFlash ? r.string(2) : null;
        if (flash != null || activity && lastSeen.plus(TOUCH_GRANULARITY).isBefore(now)) {
            em.createNativeQuery("update web_sessions set last_seen_at = case when ?4 then ?2 else last_seen_at end, "
                            + "flash = case when ?3 then null else flash end where id_hash = ?1")
                    .setParameter(1, hash).setParameter(2, now).setParameter(3, flash != null).setParameter(4, activity)
                    .executeUpdate();
        }
        return Optional.of(new Active(hash, r.uuid(3), r.string(4), Role.valueOf(r.string(5)), r.string(8), r.string(9),
                flash));
    }

    public void close(String id) {
        if (id != null) {
            em.createNativeQuery("delete from web_sessions where id_hash = ?1").setParameter(1, SessionCookies.sha256(id))
                    .executeUpdate();
        }
    }

    /** A one-time message shown on the next page of this session. */
    public void flash(byte[] idHash, String message) {
        em.createNativeQuery("update web_sessions set flash = ?2 where id_hash = ?1").setParameter(1, idHash)
                .setParameter(2, message).executeUpdate();
    }

    /** How the user wants times shown; validated by the caller. */
    public void preferences(UUID userId, String timeZone, String dateFormat) {
        User u = User.findById(userId);
        u.uiTimeZone = timeZone;
        u.uiDateFormat = dateFormat;
    }

    /** Idempotent, so it may run on every instance at once. */
    @Scheduled(every = "10m", delayed = "1m")
    void purgeExpired() {
        em.createNativeQuery("delete from web_sessions where last_seen_at < ?1")
                .setParameter(1, clock.instant().minus(auth.sessionInactivityTimeout())).executeUpdate();
    }
}
