package io.sensorfleet.console.forwarding;

/** How syslog messages travel. TCP and TLS use octet-counted framing (RFC 6587 §3.4.1). */
public enum SyslogTransport { UDP, TCP, TLS }
