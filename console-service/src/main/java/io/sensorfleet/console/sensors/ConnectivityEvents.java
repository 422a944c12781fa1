package io.sensorfleet.console.sensors;

import io.sensorfleet.console.notifications.NotificationType;
import io.sensorfleet.console.notifications.SystemEvent;
import io.sensorfleet.console.notifications.SystemEvents;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Turns connectivity transitions into system notifications, inside the transaction that made the
 * transition: the conditional updates of the sweeper and the heartbeat flush decide each
 * transition once across all instances, so each is notified once.
 */
@ApplicationScoped
public class ConnectivityEvents {

    /** A sensor whose state a heartbeat flush changed. */
    public record Transition(UUID sensorId, Connectivity before, Connectivity after, long clockOffsetMs) {
    }

    private final SystemEvents events;
    private final HeartbeatConfig config;

    ConnectivityEvents(SystemEvents events, HeartbeatConfig config) {
        this.events = events;
        this.config = config;
    }

    void disconnected(List<UUID> sensorIds) {
        String message = "no heartbeat for more than " + config.disconnectAfter().toSeconds() + " s";
        events.recordAll(sensorIds.stream()
                .map(id -> SystemEvent.of(NotificationType.SENSOR_DISCONNECTED, id, message)).toList());
    }

    void changed(List<Transition> transitions) {
        List<SystemEvent> list = new ArrayList<>();
        for (Transition t : transitions) {
            if (t.before() == Connectivity.DISCONNECTED && t.after() != Connectivity.DISCONNECTED) {
                list.add(SystemEvent.of(NotificationType.SENSOR_RECONNECTED, t.sensorId(), "reporting again"));
            }
            if (t.after() == Connectivity.TIME_DIFF_OFFSET && t.before() != Connectivity.TIME_DIFF_OFFSET) {
                list.add(SystemEvent.of(NotificationType.TIME_DRIFT, t.sensorId(), "the sensor clock differs from the "
                        + "console's by " + Math.round(t.clockOffsetMs() / 1000.0) + " s (allowed: "
                        + config.maxClockOffset().toSeconds() + " s)"));
            }
        }
        events.recordAll(list);
    }
}
