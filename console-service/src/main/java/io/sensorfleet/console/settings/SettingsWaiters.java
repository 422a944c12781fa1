package io.sensorfleet.console.settings;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sensorfleet.protocol.v1.SettingsPush;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The settings long-poll. Each instance keeps the sensors waiting on it and, per sensor, the
 * desired revision it last saw. A change anywhere is announced with PostgreSQL NOTIFY; on it the
 * instance reads, in one query, which sensors got a newer revision, resolves their settings in one
 * batch and answers all of them at once — no query per waiting sensor, and no wait for the next
 * heartbeat. A missed notification is caught by a check every few seconds.
 */
@ApplicationScoped
public class SettingsWaiters {
    static final String CHANNEL = "sensorfleet_settings";
    private static final Logger LOG = Logger.getLogger(SettingsWaiters.class);
    private static final Duration FALLBACK_CHECK = Duration.ofSeconds(5);

    private record Waiter(long known, Consumer<Optional<SettingsPush>> reply, long timerId) {
    }

    private final Map<UUID, Waiter> waiting = new ConcurrentHashMap<>();
    private final Map<UUID, Long> desired = new ConcurrentHashMap<>();
    private volatile long processed = -1;
    private volatile boolean running;
    private Thread listener;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    EffectiveSettings effective;
    @Inject
    Vertx vertx;

    void start(@Observes StartupEvent ev) {
        running = true;
        listener = Thread.ofPlatform().daemon().name("settings-listener").start(this::listen);
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    /** Called on a worker thread. Answers now when the sensor is behind, else when its revision changes or the wait ends. */
    public void poll(UUID sensor, long known, Duration wait, Consumer<Optional<SettingsPush>> reply) {
        long current = desired.computeIfAbsent(sensor, this::loadDesired);
        if (current != known) {
            reply.accept(Optional.of(push(List.of(sensor)).get(sensor)));
            return;
        }
        long timer = vertx.setTimer(wait.toMillis(), t -> {
            Waiter w = waiting.get(sensor);
            if (w != null && w.timerId() == t && waiting.remove(sensor, w)) {
                w.reply().accept(Optional.empty());
            }
        });
        Waiter mine = new Waiter(known, reply, timer);
        Waiter previous = waiting.put(sensor, mine);
        if (previous != null) {
            vertx.cancelTimer(previous.timerId());
            previous.reply().accept(Optional.empty());
        }
        // A change processed between the first look and registering would otherwise wait for the timeout.
        if (desired.getOrDefault(sensor, known) != known && waiting.remove(sensor, mine)) {
            vertx.cancelTimer(timer);
            reply.accept(Optional.of(push(List.of(sensor)).get(sensor)));
        }
    }

    public int waitingCount() {
        return waiting.size();
    }

    /** Reads which sensors got a newer revision since the last check and answers those waiting here. */
    void changed() {
        List<UUID> toAnswer = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            long last = processed;
            try (PreparedStatement ps = c.prepareStatement(
                    "select id, desired_settings_revision from sensors where desired_settings_revision > ?")) {
                ps.setLong(1, last);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UUID id = (UUID) rs.getObject(1);
                        long rev = rs.getLong(2);
                        desired.put(id, rev);
                        Waiter w = waiting.get(id);
                        if (w != null && w.known() != rev) {
                            toAnswer.add(id);
                        }
                        last = Math.max(last, rev);
                    }
                }
            }
            processed = Math.max(last, maxRevision(c));
        } catch (SQLException e) {
            LOG.warnf("cannot read changed settings revisions: %s", e.getMessage());
            return;
        }
        if (toAnswer.isEmpty()) {
            return;
        }
        Map<UUID, SettingsPush> pushes = push(toAnswer);
        for (UUID id : toAnswer) {
            Waiter w = waiting.remove(id);
            if (w != null) {
                vertx.cancelTimer(w.timerId());
                w.reply().accept(Optional.ofNullable(pushes.get(id)));
            }
        }
    }

    private Map<UUID, SettingsPush> push(List<UUID> sensors) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<UUID, SettingsPush> out = new java.util.HashMap<>();
            effective.resolve(sensors, true, List.of()).forEach((id, values) ->
                    out.put(id, new SettingsPush(desired.getOrDefault(id, 0L), EffectiveSettings.plain(values))));
            return out;
        });
    }

    private long loadDesired(UUID sensor) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select desired_settings_revision from sensors where id = ?")) {
            ps.setObject(1, sensor);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the sensor's settings revision", e);
        }
    }

    private void listen() {
        while (running) {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("listen " + CHANNEL);
                if (processed < 0) {
                    processed = maxRevision(c);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                long nextCheck = System.nanoTime() + FALLBACK_CHECK.toNanos();
                while (running) {
                    var notes = pg.getNotifications(500);
                    if ((notes != null && notes.length > 0) || System.nanoTime() > nextCheck) {
                        changed();
                        nextCheck = System.nanoTime() + FALLBACK_CHECK.toNanos();
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warnf("settings listener lost its connection, reconnecting: %s", e.getMessage());
                    sleep();
                }
            }
        }
    }

    private static long maxRevision(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select coalesce(max(id), 0) from settings_revisions")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
