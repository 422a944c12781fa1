package io.sensorfleet.console.forwarding;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One message of the outbox: a notification for one action.
 *
 * @param state         PENDING (waiting for an attempt), DELIVERED, or PARKED (gave up; replay to retry)
 * @param attempts      attempts since it was queued or last replayed
 * @param nextAttemptAt when a PENDING message is tried next
 * @param history       every attempt, oldest first; only when one message is asked for
 */
public record DeliveryView(long id, UUID notificationId, UUID ruleId, UUID actionId, String state, int attempts,
                           Instant createdAt, Instant nextAttemptAt, Instant lastAttemptAt, String lastError,
                           Instant deliveredAt, List<Attempt> history) {

    /** @param outcome what the receiver answered, or why it could not be reached */
    public record Attempt(Instant at, boolean succeeded, String outcome, int durationMs, String instance) {
    }
}
