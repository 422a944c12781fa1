package io.sensorfleet.console.updates;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Software updates: package storage and trust, rollout timing. */
@ConfigMapping(prefix = "sensorfleet.updates")
public interface UpdatesConfig {
    /**
     * Directory the uploaded packages are stored in, under names the console chooses (ids). Every
     * console instance must see the same one. Only {@code / a-z A-Z 0-9 _} are allowed in the path.
     */
    @WithDefault("/var/lib/sensorfleet/updates")
    String storageDir();

    /** Largest package an admin may upload, in bytes; a bigger upload is refused while it streams (413). */
    @WithDefault("2147483648")
    long maxPackageBytes();

    /**
     * Vendor public keys (Ed25519, PEM) packages must be signed with: each entry is a path to a PEM
     * file or a PEM text, and a file may hold several keys. List the old and the new key during a
     * rotation. Without any, every upload is refused as signed by an unknown key.
     */
    Optional<List<String>> trustedKeys();

    /** A sensor that stays longer than this in one stage of its update (downloading, installing…) fails with "timed out in stage X". */
    @WithDefault("15m")
    Duration stageTimeout();

    /** A sensor that does not pick up its queued update within this long (disconnected?) fails with "timed out in stage QUEUED". */
    @WithDefault("1h")
    Duration queuedTimeout();

    /** A task handed to a sensor that reports nothing within this long is handed out again. */
    @WithDefault("2m")
    Duration offerTimeout();

    /**
     * Default soak of a rollout, in seconds: after each batch ended the rollout waits this long,
     * watching the batch's updated sensors (a rollback, a DISCONNECTED sensor or a health worse than
     * before its update halts it), before the next batch starts. A rollout may set its own.
     */
    @WithDefault("300")
    long soakSeconds();

    /**
     * Default watch window of a rollout, in seconds, sent with each update: how long after the
     * hand-over the sensor keeps the previous version and rolls back to it if the new one fails. The
     * console waits this long plus the stage timeout for a sensor in VALIDATING. A rollout may set its own.
     */
    @WithDefault("600")
    long watchSeconds();

    /** Whether this instance drives rollouts on its own schedule (tests drive them by hand). */
    @WithDefault("true")
    boolean driverEnabled();

    /** How often each instance advances rollouts (starts batches, halts, finishes) and sweeps stalled sensors. */
    @WithDefault("2s")
    Duration driverInterval();
}
