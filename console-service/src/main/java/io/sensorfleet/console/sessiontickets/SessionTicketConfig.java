package io.sensorfleet.console.sessiontickets;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * TLS session tickets of the agent plane (with the OpenSSL engine): keys shared by every console
 * instance through the database and rotated, so a sensor resumes its session on any instance.
 */
@ConfigMapping(prefix = "sensorfleet.session-tickets")
public interface SessionTicketConfig {
    /**
     * Whether the agent plane issues session tickets at all; off, every reconnection is a full
     * handshake (for comparison, or a policy that wants one per connection).
     */
    @WithDefault("true")
    boolean enabled();

    /** How long one key encrypts new tickets before the next one takes over. */
    @WithDefault("6h")
    Duration rotationInterval();

    /**
     * How long a session may be resumed after the full handshake that authenticated it (resuming
     * does not extend it), and so how long a key still decrypts tickets after it stopped encrypting.
     */
    @WithDefault("24h")
    Duration ticketLifetime();

    /**
     * How often each instance reloads the keys from the database (and creates the next one when it
     * is due). A new key only starts encrypting two intervals after it was created, once every
     * instance has loaded it.
     */
    @WithDefault("1m")
    Duration pollInterval();
}
