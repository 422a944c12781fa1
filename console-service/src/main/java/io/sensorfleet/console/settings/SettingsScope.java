package io.sensorfleet.console.settings;

import java.util.UUID;

/** Where a value is set; the most specific scope wins: SENSOR over ZONE over SITE over GLOBAL over the default. */
public enum SettingsScope {
    GLOBAL, SITE, ZONE, SENSOR;

    /** scope_id of GLOBAL rows. */
    public static final UUID NONE = new UUID(0, 0);
}
