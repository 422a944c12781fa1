package io.sensorfleet.console.forwarding;

import java.time.ZoneId;

/**
 * What a formatted message says about where it comes from.
 *
 * @param zone           time zone of the times written in the message
 * @param hostname       the console host sending it (RFC 5424 HOSTNAME)
 * @param productVersion the console's version (CEF/LEEF header)
 * @param site           the notification's site, written next to its zone
 */
record MessageContext(ZoneId zone, String hostname, String productVersion, SiteRef site) {
    MessageContext(ZoneId zone, String hostname, String productVersion) {
        this(zone, hostname, productVersion, SiteRef.NONE);
    }
}
