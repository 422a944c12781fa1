package io.sensorfleet.console.forwarding;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sensorfleet.console.notifications.Severity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A forwarding rule with the delivery state of each of its actions. */
public record RuleView(UUID id, String name, boolean enabled, Severity minSeverity, boolean reportSystemNotifications,
                       boolean reportAlerts, RuleRequest.Filters filters, List<ActionView> actions, Instant createdAt,
                       Instant updatedAt) {

    /** One action: its settings (see {@link RuleRequest.Action}) and how delivery to it goes. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ActionView(UUID id, ActionKind type, String host, Integer port, SyslogTransport transport,
                             SyslogFormat format, String timeZone, String url, Map<String, String> headers,
                             String caCertificatePem, Integer batchMaxEvents, DeliveryStats delivery) {
    }

    /**
     * @param pending        messages waiting for their first or next attempt
     * @param delivered      messages delivered since the action exists
     * @param parked         messages that failed every attempt and wait for a replay
     * @param failedAttempts attempts that failed since the action exists
     * @param lastError      what the receiver or the network said at the last failure
     */
    public record DeliveryStats(long pending, long delivered, long parked, long failedAttempts,
                                Instant lastDeliveredAt, Instant lastFailureAt, String lastError) {
    }
}
