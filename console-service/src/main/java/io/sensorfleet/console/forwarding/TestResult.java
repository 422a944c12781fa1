package io.sensorfleet.console.forwarding;

import java.util.UUID;

/**
 * What happened to a test message.
 *
 * @param delivered whether the receiver took it (2xx for webhooks; written to the connection for syslog)
 * @param answer    the receiver's answer (HTTP status and the start of the body) or why it failed
 * @param eventId   the id the test message carried
 */
public record TestResult(boolean delivered, String answer, long durationMs, UUID eventId) {
}
