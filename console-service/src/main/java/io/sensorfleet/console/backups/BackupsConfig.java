package io.sensorfleet.console.backups;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Collecting backups from sensors, storing them, restoring them. */
@ConfigMapping(prefix = "sensorfleet.backups")
public interface BackupsConfig {
    /**
     * Directory the backups are stored in, one subdirectory per sensor, under names the console
     * chooses. May be a mounted SMB or NFS share; every console instance must see the same one.
     * Only {@code / a-z A-Z 0-9 _} are allowed in the path (checked at start).
     */
    @WithDefault("/var/lib/sensorfleet/backups")
    String storageDir();

    /** Backups kept per sensor, 1 to 9; storing one more deletes the oldest. */
    @WithDefault("3")
    int keep();

    /**
     * Bytes a sensor's stored backups may take together, unless an admin set another allocation
     * for that sensor. A backup that would not fit (with the ones kept beside it) is skipped with
     * the reason, and collection goes on with the next sensor.
     */
    @WithDefault("10737418240")
    long allocationBytes();

    /** Free space that must remain on the storage after a backup; a backup that would leave less fails as NO_SPACE. */
    @WithDefault("1073741824")
    long minFreeBytes();

    /** Transfers (uploads and restore downloads) running at once across all console instances. */
    @WithDefault("20")
    int maxParallelTransfers();

    /** A transfer that makes no progress for this long fails as a network failure. */
    @WithDefault("10m")
    Duration stallTimeout();

    /** A task handed to a sensor that it does not start within this long is handed out again. */
    @WithDefault("2m")
    Duration offerTimeout();

    /** A task no sensor picked up within this long (sensor disconnected?) fails as a network failure. */
    @WithDefault("12h")
    Duration pendingTimeout();

    /** How often each instance looks for stalled and expired tasks. */
    @WithDefault("30s")
    Duration sweepInterval();

    /** The daily collection. */
    Schedule schedule();

    /** The daily collection from every sensor. */
    interface Schedule {
        /** Collect daily (false: only on demand). */
        @WithDefault("true")
        boolean enabled();

        /** Time of day, {@code HH:mm}, in {@link #timeZone()}; after the sensors' own 03:00 backup by default. */
        @WithDefault("04:00")
        String time();

        /** IANA time zone of {@link #time()}. */
        @WithDefault("UTC")
        String timeZone();

        /**
         * A collection still starts this long after its time (e.g. every instance was down then);
         * later, that day's collection is skipped rather than started in the middle of the day.
         */
        @WithDefault("1h")
        Duration catchUp();

        /** A sensor uploads its own daily backup when it is at most this old, instead of taking a new one. */
        @WithDefault("24h")
        Duration reuseWithin();
    }
}
