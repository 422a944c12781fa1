package io.sensorfleet.console.common;

import io.agroal.api.AgroalDataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Listens on PostgreSQL NOTIFY channels over one connection on its own thread and calls the
 * channel's handler when a notification arrives, and every handler at least every {@code fallback}
 * (a notification sent while the connection was being re-established is otherwise missed). A lost
 * connection is re-opened. A handler that throws is logged and called again at the next
 * notification: nothing a handler does ends the thread.
 */
public final class PgListener {
    private static final Logger LOG = Logger.getLogger(PgListener.class);

    private final AgroalDataSource dataSource;
    private final String name;
    private final Duration fallback;
    private final Map<String, Runnable> handlers;
    private volatile boolean running;
    private Thread thread;

    /**
     * @param name     names the thread and the log lines
     * @param handlers per channel (a plain SQL identifier), what to do when it is notified
     */
    public PgListener(AgroalDataSource dataSource, String name, Duration fallback, Map<String, Runnable> handlers) {
        for (String channel : handlers.keySet()) {
            if (!channel.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("not a channel name: " + channel);
            }
        }
        this.dataSource = dataSource;
        this.name = name;
        this.fallback = fallback;
        this.handlers = Map.copyOf(handlers);
    }

    public void start() {
        running = true;
        thread = Thread.ofPlatform().daemon().name(name + "-listener").start(this::listen);
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
                for (String channel : handlers.keySet()) {
                    st.execute("listen " + channel);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                long nextCheck = 0;
                while (running) {
                    PGNotification[] notes = pg.getNotifications(500);
                    if (System.nanoTime() > nextCheck) {
                        handlers.keySet().forEach(this::handle);
                        nextCheck = System.nanoTime() + fallback.toNanos();
                    } else if (notes != null && notes.length > 0) {
                        Set<String> notified = new LinkedHashSet<>();
                        for (PGNotification n : notes) {
                            notified.add(n.getName());
                        }
                        notified.forEach(this::handle);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warnf("%s listener lost its connection, reconnecting: %s", name, e.getMessage());
                    pause();
                }
            }
        }
    }

    private void handle(String channel) {
        Runnable handler = handlers.get(channel);
        if (handler == null) {
            return;
        }
        try {
            handler.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s: cannot act on a change on %s, trying again at the next one", name, channel);
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
