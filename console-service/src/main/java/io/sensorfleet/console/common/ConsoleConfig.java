package io.sensorfleet.console.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings that concern the console as a whole. */
@ConfigMapping(prefix = "sensorfleet.console")
public interface ConsoleConfig {
    /**
     * Directory for this instance's local files: generated operator-plane certificate, the master
     * key file when none is configured, the initial admin password.
     */
    @WithDefault(".sensorfleet/console")
    Path dataDir();

    /**
     * Base64 of a 256-bit key that encrypts key material stored in the database (CA key, token
     * signing key). Every instance sharing a database needs the same one. When absent, a key is
     * generated at first start in {@code <data-dir>/master.key}.
     */
    Optional<String> masterKey();

    /**
     * Names an uploaded operator-plane certificate must carry besides this host's name,
     * {@code localhost} and {@code 127.0.0.1} (e.g. the load balancer's name).
     */
    Optional<List<String>> hostnames();

    /** How often each instance looks for an operator-plane certificate uploaded through another one. */
    @WithDefault("5s")
    Duration certificatePollInterval();
}
