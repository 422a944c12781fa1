package io.sensorfleet.console.forwarding;

import java.util.UUID;

/**
 * The site of a forwarded notification: that of its zone when the message is sent. Both null for
 * a notification about no sensor, or a sensor in no zone.
 */
record SiteRef(UUID id, String name) {
    static final SiteRef NONE = new SiteRef(null, null);
}
