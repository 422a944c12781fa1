package io.sensorfleet.console.auth;

import io.vertx.core.http.HttpServerRequest;

/**
 * The address a login is counted against: the TCP peer, or the client named by a trusted proxy
 * when {@code quarkus.http.proxy.proxy-address-forwarding} is on (Vert.x then reports it as the
 * remote address). Forwarding headers are never read here, so a client cannot pick its own address.
 */
public final class SourceAddress {
    private SourceAddress() {
    }

    public static String of(HttpServerRequest http) {
        return http == null || http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
    }
}
