package io.sensorfleet.protocol.v1.alerts;

import io.sensorfleet.protocol.v1.AgentPaths;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * An alert a sensor detected, sent by the agent over mTLS to {@link AgentPaths#ALERTS}. The agent
 * keeps it in its outbox until the console accepted it and may send it more than once; the console
 * keeps one per (sensor, {@code alertId}).
 *
 * @param alertId     chosen by the agent, unique per sensor (a UUID will do); required, {@link #ALERT_ID} pattern
 * @param title       what was detected, one line; required, at most 500 characters
 * @param severity    required
 * @param engine      the detection engine, e.g. "Protocol Violation", "Malware"; optional, at most 100 characters
 * @param protocol    the network protocol involved, e.g. "Modbus"; optional, at most 100 characters
 * @param source      source address or name; optional, at most 255 characters
 * @param destination destination address or name; optional, at most 255 characters
 * @param detectedAt  when the sensor detected it, by the sensor's clock; required
 */
public record AlertReport(String alertId, String title, Severity severity, String engine, String protocol,
                          String source, String destination, Instant detectedAt) {

    /** What an alert id may look like: letters, digits and {@code . _ : -}, 1 to 100 characters. */
    public static final Pattern ALERT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

    /** Alert severities, lowest first. */
    public enum Severity { WARNING, MINOR, MAJOR, CRITICAL }
}
