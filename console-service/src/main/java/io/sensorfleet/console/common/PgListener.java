package io.sensorfleet.console.common;

import io.agroal.api.AgroalDataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Listens on a PostgreSQL NOTIFY channel on its own thread and calls {@code onChange} when a
 * notification arrives, and at least every {@code fallback} (a notification sent while the
 * connection was being re-established is otherwise missed). A lost connection is re-opened.
 */
public final class PgListener {
    private static final Logger LOG = Logger.getLogger(PgListener.class);

    private final AgroalDataSource dataSource;
    private final String channel;
    private final Duration fallback;
    private final Runnable onChange;
    private volatile boolean running;
    private Thread thread;

    public PgListener(AgroalDataSource dataSource, String channel, Duration fallback, Runnable onChange) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.fallback = fallback;
        this.onChange = onChange;
    }

    public void start() {
        running = true;
        thread = Thread.ofPlatform().daemon().name(channel + "-listener").start(this::listen);
    }

    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void listen() {
        while (running) {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("listen " + channel);
                PGConnection pg = c.unwrap(PGConnection.class);
                long nextCheck = 0;
                while (running) {
                    var notes = pg.getNotifications(500);
                    if ((notes != null && notes.length > 0) || System.nanoTime() > nextCheck) {
                        check();
                        nextCheck = System.nanoTime() + fallback.toNanos();
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warnf("%s listener lost its connection, reconnecting: %s", channel, e.getMessage());
                    pause();
                }
            }
        }
    }

    private void check() {
        try {
            onChange.run();
        } catch (RuntimeException e) {
            LOG.warnf("%s: cannot act on a change: %s", channel, e.getMessage());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
