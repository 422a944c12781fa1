package io.sensorfleet.console.common;

import io.sensorfleet.protocol.v1.Problem;

/** Builds RFC 9457 bodies the same way on both planes. */
public final class Problems {
    private Problems() {
    }

    public static Problem of(int status, String type, String title, String detail, String instance) {
        return new Problem(Problem.TYPE_PREFIX + type, title, status, detail, instance);
    }

    public static Problem of(ProblemException e, String instance) {
        return of(e.status(), e.type(), e.title(), e.getMessage(), instance);
    }
}
