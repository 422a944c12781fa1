package io.sensorfleet.console.platform;

/** Operator roles: Admin changes anything, Security Analyst only maintenance windows and alerts, Read-only nothing. The names are the JWT groups checked by {@code @RolesAllowed}. */
public enum Role {
    ADMIN, SECURITY_ANALYST, READ_ONLY;

    public static final String ADMIN_NAME = "ADMIN";
    public static final String ANALYST_NAME = "SECURITY_ANALYST";
    public static final String READ_ONLY_NAME = "READ_ONLY";
}
