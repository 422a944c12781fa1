package io.sensorfleet.console.forwarding;

/** Where a forwarding action sends. */
public enum ActionKind { SYSLOG, WEBHOOK }
