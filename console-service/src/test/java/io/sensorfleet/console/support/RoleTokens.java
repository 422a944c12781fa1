package io.sensorfleet.console.support;

import io.restassured.specification.RequestSpecification;
import io.sensorfleet.console.auth.JwtKeys;

/** Operator-plane calls as a user of a role; tokens come from real users, which the console checks on every call. */
public final class RoleTokens {
    private RoleTokens() {
    }

    /** @param role a role name, e.g. {@code Role.ANALYST_NAME} */
    public static RequestSpecification as(JwtKeys keys, String role) {
        return Api.as(role);
    }
}
