package io.sensorfleet.console.maintenance;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A maintenance window with its history.
 *
 * @param state    OPEN until closed or until {@code endsAt}; then CLOSED (by an operator) or EXPIRED
 * @param engines  empty: every notification of the sensors is held back; otherwise only their alerts from these engines
 * @param closedBy who closed it; null while open or when it expired
 */
public record MaintenanceWindowView(UUID id, String ticketId, State state, List<UUID> sensorIds, List<String> engines,
                                    Instant openedAt, String openedBy, Instant endsAt, Instant closedAt,
                                    String closedBy, List<HistoryEntry> history) {

    public enum State { OPEN, CLOSED, EXPIRED }

    /** What was done to the window, by whom, and until when it ran afterwards. */
    public record HistoryEntry(Instant at, MaintenanceWindowEntry.Action action, String actor, Instant endsAt) {
    }
}
