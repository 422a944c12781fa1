package io.sensorfleet.console.auth;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sensorfleet.console.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts in PostgreSQL ({@code login_failures}), so every console instance sees every failure and
 * a client spreading its guesses over the instances gets one budget, not one per instance. Each
 * count is one atomic upsert in a transaction of its own: the login's own transaction rolls back
 * when the login fails, and the failure must still count. Windows that ended are deleted now and then.
 */
@ApplicationScoped
class SharedFailureCounts implements FailureCounts {
    /** Every this many failures counted here, this instance deletes the windows that ended. */
    private static final long PURGE_EVERY = 500;

    private final EntityManager em;
    private final AtomicLong counted = new AtomicLong();

    SharedFailureCounts(EntityManager em) {
        this.em = em;
    }

    @Override
    public Window get(String key) {
        Sql.Row r = QuarkusTransaction.requiringNew().call(() ->
                Sql.row(em, "select window_start, failures from login_failures where key = ?1", key));
        return r == null ? null : new Window(Sql.Row.instant(r.get(0)), ((Number) r.get(1)).intValue());
    }

    @Override
    public int add(String key, Instant now, Duration window) {
        Instant ended = now.minus(window);
        return QuarkusTransaction.requiringNew().call(() -> {
            if (counted.incrementAndGet() % PURGE_EVERY == 0) {
                em.createNativeQuery("delete from login_failures where window_start <= ?1").setParameter(1, ended)
                        .executeUpdate();
            }
            Sql.Row r = Sql.row(em, "insert into login_failures (key, window_start, failures) values (?1, ?2, 1) "
                    + "on conflict (key) do update set "
                    + "failures = case when login_failures.window_start <= ?3 then 1 else login_failures.failures + 1 end, "
                    + "window_start = case when login_failures.window_start <= ?3 then ?2 else login_failures.window_start end "
                    + "returning failures", key, now, ended);
            return ((Number) r.get(0)).intValue();
        });
    }

    @Override
    public void remove(String key) {
        QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("delete from login_failures where key = ?1").setParameter(1, key).executeUpdate());
    }

    @Override
    public void removeEndingWith(String suffix) {
        QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("delete from login_failures where right(key, ?2) = ?1")
                        .setParameter(1, suffix).setParameter(2, suffix.length()).executeUpdate());
    }
}
