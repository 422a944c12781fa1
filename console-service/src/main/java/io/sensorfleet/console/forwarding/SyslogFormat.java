package io.sensorfleet.console.forwarding;

/** Message formats of a syslog action; each travels in an RFC 5424 syslog message. */
public enum SyslogFormat {
    /** ArcSight Common Event Format. */
    CEF,
    /** IBM QRadar Log Event Extended Format 1.0. */
    LEEF,
    /** RFC 5424 text with the fields as structured data. */
    RFC5424,
    /** One JSON object. */
    JSON
}
