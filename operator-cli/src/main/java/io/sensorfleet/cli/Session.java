package io.sensorfleet.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What {@code sensorfleet login} keeps: where the console is, which CA to trust for it, and the token.
 *
 * @param caFile PEM file of the CA (or self-signed certificate) to trust; null: the system trust store
 * @param expiresAt when the console said the token ends; null when unknown (a token given by a script)
 */
public record Session(URI console, String username, String token, Instant expiresAt, Path caFile) {

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
