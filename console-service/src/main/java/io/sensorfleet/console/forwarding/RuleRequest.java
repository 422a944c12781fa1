package io.sensorfleet.console.forwarding;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A forwarding rule as an admin writes it. Kinds and formats are strings here so that a wrong one
 * is reported with the field it is in.
 *
 * @param name                      unique, at most 100 characters
 * @param enabled                   default true
 * @param minSeverity               WARNING, MINOR, MAJOR or CRITICAL: forwards this and above
 * @param reportSystemNotifications forward system notifications (disconnects, failed backups…)
 * @param reportAlerts              forward alerts the sensors report
 * @param filters                   optional; an empty or missing list matches any
 * @param actions                   one to ten destinations
 */
public record RuleRequest(String name, Boolean enabled, String minSeverity, Boolean reportSystemNotifications,
                          Boolean reportAlerts, Filters filters, List<Action> actions) {

    /**
     * Which notifications the rule takes; all given filters must match. Protocols and engines
     * concern alerts only: a system notification passes them. Sites are those of the sensor's zone;
     * labels are the sensor's, each "key=value" (that value) or "key" (any value), all must hold.
     */
    public record Filters(List<String> protocols, List<String> engines, List<UUID> zoneIds, List<UUID> sensorIds,
                          List<UUID> siteIds, List<String> labels) {
        static Filters none() {
            return new Filters(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        }
    }

    /**
     * One destination.
     *
     * @param id               when updating a rule: the action to change; absent for a new one
     * @param type             SYSLOG or WEBHOOK
     * @param host             syslog: host name or IP address of the receiver
     * @param port             syslog: 1–65535 (514 for UDP/TCP, 6514 for TLS are usual)
     * @param transport        syslog: UDP, TCP (octet-counted framing, RFC 6587) or TLS
     * @param format           syslog: CEF, LEEF, RFC5424 or JSON
     * @param timeZone         syslog: IANA zone of the times in messages; default UTC
     * @param url              webhook: http or https URL
     * @param headers          webhook: extra headers; names of letters, digits, '-' and '_'
     * @param caCertificatePem TLS syslog or https webhook: PEM CA to trust besides the JDK's trust store
     * @param batchMaxEvents   webhook: 1–500, default 1. Above 1 the body is a JSON array of up to this
     *                         many notifications (each with its eventId), sent when that many are due or
     *                         whatever is due at once; for receivers that take arrays, at high rates
     */
    public record Action(UUID id, String type, String host, Integer port, String transport, String format,
                         String timeZone, String url, Map<String, String> headers, String caCertificatePem,
                         Integer batchMaxEvents) {
    }
}
