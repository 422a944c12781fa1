package io.sensorfleet.console.forwarding;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.ZoneId;
import java.util.Map;

/**
 * Checked settings of one action, as stored; which fields apply depends on the kind.
 *
 * @param host             syslog: receiver host name or IP address
 * @param port             syslog: receiver port
 * @param transport        syslog: UDP, TCP or TLS
 * @param format           syslog: CEF, LEEF, RFC5424 or JSON
 * @param timeZone         syslog: zone of the times written in messages
 * @param url              webhook: http or https URL
 * @param headers          webhook: extra request headers
 * @param caCertificatePem TLS syslog or https webhook: a CA trusted in addition to the JDK's
 * @param batchMaxEvents   webhook: most notifications in one request; absent or 1 = one per request
 *                         (a JSON object), above 1 = a JSON array of up to this many objects
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionSettings(String host, Integer port, SyslogTransport transport, SyslogFormat format,
                             String timeZone, String url, Map<String, String> headers, String caCertificatePem,
                             Integer batchMaxEvents) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static ActionSettings fromJson(String json) {
        try {
            return JSON.readValue(json, ActionSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored action settings are not readable: " + e.getOriginalMessage(), e);
        }
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("action settings always serialise", e);
        }
    }

    /** Notifications per webhook request: 1 unless the action batches. */
    public int batch() {
        return batchMaxEvents == null ? 1 : batchMaxEvents;
    }

    public ZoneId zone() {
        return timeZone == null ? ZoneId.of("UTC") : ZoneId.of(timeZone);
    }
}
