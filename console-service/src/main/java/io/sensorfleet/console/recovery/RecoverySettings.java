package io.sensorfleet.console.recovery;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a backup or restore needs to know about the console it works for: the database, the data
 * directory, the master key and the two storage directories. The command runs before (and
 * without) Quarkus, so it reads the console's own keys the way its configuration does for an
 * operator: a system property ({@code -Dsensorfleet.console.data-dir=…}), else the environment
 * variable ({@code SENSORFLEET_CONSOLE_DATA_DIR}, as in {@code /etc/sensorfleet/console.env} or a
 * Kubernetes Secret), else the console's default.
 */
public record RecoverySettings(String jdbcUrl, String dbUser, String dbPassword, Path dataDir,
                               Optional<String> masterKey, Path backupsDir, Path updatesDir) {
    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String DB_USER = "quarkus.datasource.username";
    static final String DB_PASSWORD = "quarkus.datasource.password";
    static final String DATA_DIR = "sensorfleet.console.data-dir";
    static final String MASTER_KEY = "sensorfleet.console.master-key";
    static final String BACKUPS_DIR = "sensorfleet.backups.storage-dir";
    static final String UPDATES_DIR = "sensorfleet.updates.storage-dir";

    /** From this JVM's system properties and environment. */
    public static RecoverySettings current() {
        Map<String, String> env = System.getenv();
        return from(key -> Optional.ofNullable(System.getProperty(key)).orElse(env.get(envName(key))));
    }

    /** From a lookup by property name (tests pass a map). */
    static RecoverySettings from(Function<String, String> lookup) {
        String url = lookup.apply(JDBC_URL);
        if (url == null || url.isBlank()) {
            throw new RecoveryException("no database configured: set QUARKUS_DATASOURCE_JDBC_URL (and _USERNAME, _PASSWORD) "
                    + "as for the console itself, e.g. from /etc/sensorfleet/console.env");
        }
        return new RecoverySettings(url.strip(), orElse(lookup, DB_USER, ""), orElse(lookup, DB_PASSWORD, ""),
                Path.of(orElse(lookup, DATA_DIR, ".sensorfleet/console")),
                Optional.ofNullable(lookup.apply(MASTER_KEY)).map(String::strip).filter(s -> !s.isEmpty()),
                Path.of(orElse(lookup, BACKUPS_DIR, "/var/lib/sensorfleet/backups")),
                Path.of(orElse(lookup, UPDATES_DIR, "/var/lib/sensorfleet/updates")));
    }

    /** The environment variable of a property, as SmallRye Config maps it. */
    static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static String orElse(Function<String, String> lookup, String key, String fallback) {
        String v = lookup.apply(key);
        return v == null || v.isBlank() ? fallback : v.strip();
    }
}
