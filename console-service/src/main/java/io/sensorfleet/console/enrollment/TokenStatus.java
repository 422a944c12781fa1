package io.sensorfleet.console.enrollment;

/** Where a connection string's token stands. */
public enum TokenStatus { ACTIVE, USED, EXPIRED, REVOKED }
