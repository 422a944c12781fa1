package io.sensorfleet.console.settings;

import io.agroal.api.AgroalDataSource;
import io.sensorfleet.console.work.WorkChannel;
import io.sensorfleet.console.work.WorkFeed;
import io.sensorfleet.console.work.WorkKind;
import io.sensorfleet.console.work.WorkWaiters;
import io.sensorfleet.protocol.v1.settings.SettingsPush;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Settings as work for sensors. Each instance keeps, per sensor, the desired revision it last saw.
 * A change anywhere is announced with NOTIFY; on it the instance reads, in one query, which sensors
 * got a newer revision; the sensors waiting here that are behind get their settings resolved in one
 * batch — no query per waiting sensor, and no wait for the next heartbeat.
 */
@ApplicationScoped
public class SettingsWaiters implements WorkFeed {
    static final String CHANNEL = "sensorfleet_settings";

    private final Map<UUID, Long> desired = new ConcurrentHashMap<>();
    /** The highest revision whose sensors are in {@link #desired}; -1 before the first look. */
    private volatile long processed = -1;

    private final AgroalDataSource dataSource;
    private final SettingsPushes pushes;
    private final WorkChannel channel;

    @Inject
    SettingsWaiters(AgroalDataSource dataSource, SettingsPushes pushes, WorkChannel channel) {
        this.dataSource = dataSource;
        this.pushes = pushes;
        this.channel = channel;
    }

    /**
     * The settings-only long-poll of agents before the work channel; kept for one version. Called on a
     * worker thread: answers now when the sensor is behind, else when its revision changes or the wait ends.
     */
    public Runnable poll(UUID sensor, long known, Duration wait, Consumer<Optional<SettingsPush>> reply) {
        return channel.poll(sensor, WorkWaiters.Lane.SETTINGS, known, wait, work -> reply.accept(work.map(w -> w.settings())));
    }

    @Override
    public WorkKind kind() {
        return WorkKind.SETTINGS;
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public boolean pending(UUID sensor, long settingsKnown) {
        started();
        return desired.computeIfAbsent(sensor, this::loadDesired) != settingsKnown;
    }

    /**
     * Reads which sensors got a newer revision since the last look: a scan of {@code sensors} when
     * {@code settings_revisions} has a newer one, else nothing (this runs on every fallback check).
     * Revisions commit in the order of their ids ({@link SettingsService} serialises changes), and
     * the newest id is read before the sensors, so no revision can be counted as seen unread.
     */
    @Override
    public void refresh() {
        if (!started()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            long newest = maxRevision(c);
            long last = processed;
            if (newest <= last) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "select id, desired_settings_revision from sensors where desired_settings_revision > ?")) {
                ps.setLong(1, last);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long rev = rs.getLong(2);
                        desired.put((UUID) rs.getObject(1), rev);
                        newest = Math.max(newest, rev);
                    }
                }
            }
            processed = newest;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read changed settings revisions: " + e.getMessage(), e);
        }
    }

    /** The effective settings of the sensors that are behind, resolved in one batch. */
    @Override
    public Map<UUID, SettingsPush> take(Map<UUID, Long> sensors) {
        Map<UUID, Long> behind = new HashMap<>();
        sensors.forEach((id, known) -> {
            Long revision = desired.get(id);
            if (revision != null && revision != known.longValue()) {
                behind.put(id, revision);
            }
        });
        return behind.isEmpty() ? Map.of() : pushes.resolve(behind);
    }

    /** A revision is no news to a sensor that already holds it (it polled again while it was taken). */
    @Override
    public boolean stillNews(Object item, long settingsKnown) {
        return !(item instanceof SettingsPush push) || push.revision() != settingsKnown;
    }

    /**
     * Marks where this instance starts reading changes, before it caches any sensor's revision, so
     * that every change after a cached value is read by {@link #refresh}.
     *
     * @return false when this call did it (there is nothing to refresh yet)
     */
    private boolean started() {
        if (processed >= 0) {
            return true;
        }
        synchronized (this) {
            if (processed >= 0) {
                return true;
            }
            try (Connection c = dataSource.getConnection()) {
                processed = maxRevision(c);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the settings revisions", e);
            }
            return false;
        }
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

    private static long maxRevision(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select coalesce(max(id), 0) from settings_revisions")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
