package io.sensorfleet.console.work;

import java.util.Map;
import java.util.UUID;

/**
 * One feature's supply of work for sensors (settings, backup tasks, update tasks), for
 * {@link WorkChannel}: a feature announces changes with {@code pg_notify} on its {@link #channel()},
 * keeps in memory which sensors may have something, and hands it out when asked.
 * <p>
 * Every method but {@link #take} must be cheap: {@link #pending} runs for every waiting sensor
 * on every change of this feed.
 */
public interface WorkFeed {

    WorkKind kind();

    /** The NOTIFY channel on which the feature announces a change (a plain SQL identifier). */
    String channel();

    /** Re-reads what is pending after a notification on {@link #channel()} or at the periodic check. */
    void refresh();

    /**
     * Whether a sensor that holds settings revision {@code settingsKnown} (-1: none) may get
     * something from this feed now; from memory, except a first look at a sensor.
     */
    boolean pending(UUID sensor, long settingsKnown);

    /**
     * Hands out what these sensors get now, by sensor with the settings revision each holds. A task
     * is claimed with a conditional update, so however many console instances ask, it goes out
     * once; a sensor with nothing to get now is left out of the answer.
     */
    Map<UUID, ?> take(Map<UUID, Long> sensors);

    /**
     * Whether {@code item}, taken for a sensor, is still news to a poll of that sensor holding
     * settings revision {@code settingsKnown}. A sensor may poll again while its item is being
     * taken (its earlier poll ended meanwhile); the item goes to the newer poll only when this says
     * so. Default: yes (a claimed task is delivered, not held back until its offer times out).
     */
    default boolean stillNews(Object item, long settingsKnown) {
        return true;
    }
}
