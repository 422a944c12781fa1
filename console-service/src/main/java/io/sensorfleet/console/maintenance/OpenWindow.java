package io.sensorfleet.console.maintenance;

import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * An open maintenance window as notifications see it.
 *
 * @param engines lower-cased; empty means the window holds back every notification of its sensors,
 *                otherwise only their alerts from these engines
 */
public record OpenWindow(String ticketId, Set<UUID> sensorIds, Set<String> engines) {

    /** Whether a notification of {@code sensorId} (an alert from {@code engine} when {@code alert}) is held back. */
    public boolean suppresses(UUID sensorId, boolean alert, String engine) {
        if (sensorId == null || !sensorIds.contains(sensorId)) {
            return false;
        }
        if (engines.isEmpty()) {
            return true;
        }
        return alert && engine != null && engines.contains(engine.toLowerCase(Locale.ROOT));
    }
}
