package io.sensorfleet.lib.settings;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting the console pushes and the agent applies, the same list on both sides. The
 * categories follow the appliance's System Settings pages: network, time and region, backup schedule,
 * system properties, certificate validation.
 */
public final class SettingsCatalog {
    /** The three date formats an operator may choose, and no other. */
    public static final List<String> DATE_FORMATS = List.of("dd/MM/yyyy HH:mm:ss", "MM/dd/yyyy HH:mm:ss",
            "yyyy/MM/dd HH:mm:ss");
    /** How long a sensor keeps the previous version after an update and rolls back to it on trouble. */
    public static final String WATCH_SECONDS = "update.watchSeconds";
    /** How soon after its first start a new version must deliver a heartbeat, or be rolled back. */
    public static final String FIRST_HEARTBEAT_SECONDS = "update.firstHeartbeatSeconds";

    private static final Map<String, SettingDefinition> ALL = new LinkedHashMap<>();

    static {
        // network (seed: "Update the sensor network configuration")
        add("network.ipAddress", SettingType.IP_ADDRESS, null, "the sensor's management IP address", true);
        add("network.subnetMask", SettingType.SUBNET_MASK, null, "subnet mask (255.255.255.0) or prefix length (24)", false);
        add("network.defaultGateway", SettingType.IP_ADDRESS, null, "default gateway, inside the subnet", false);
        add("network.dnsServers", SettingType.IP_ADDRESS_LIST, null, "one to three DNS server addresses", false);
        add("network.hostname", SettingType.HOSTNAME, null, "the sensor's host name (RFC 1123)", true);
        add("network.proxy", SettingType.HOST_PORT, null, "proxy host:port; empty for none", false);
        text("network.proxyUser", "proxy user name; optional", 128, false);
        text("network.proxyPassword", "proxy password; write-only, stored encrypted", 256, true);
        // A changed address, mask, gateway or DNS that does not let the sensor reach the console
        // again within this time is undone, so a wrong value never cuts a remote sensor off.
        integer("network.confirmSeconds", 120, 5, 3600,
                "seconds a network change has to reach the console before the sensor reverts it", false);
        // time & region (seed: "Synchronize time zones on the sensor")
        add("time.timeZone", SettingType.TIME_ZONE, "UTC", "IANA time zone of alerts, reports and widgets", false);
        put(new SettingDefinition("time.dateFormat", SettingType.CHOICE, DATE_FORMATS.get(0),
                "how dates are shown on the sensor", 0, 0, DATE_FORMATS, false, false, false));
        // backup schedule (seed: "Set up backup and restore files")
        bool("backup.enabled", true, "take the daily backup", false);
        add("backup.dailyTime", SettingType.TIME_OF_DAY, "03:00", "daily backup time, sensor time zone", false);
        integer("backup.retention", 3, 1, 9, "backups kept on the sensor", false);
        // certificate validation (seed: "Manage certificates")
        bool("certificates.validation", true, "check expiry and CRLs of certificates presented by peers", false);
        // software updates: the watch window after a hand-over (a rollout may set its own per update)
        integer(WATCH_SECONDS, 600, 10, 86400,
                "seconds after an update during which the sensor rolls back to the previous version on trouble", false);
        integer(FIRST_HEARTBEAT_SECONDS, 120, 5, 3600,
                "seconds a new version has, after its first start, to deliver a heartbeat before it is rolled back", false);
        // system properties (seed: "Adjust system properties": a wrong value can damage the sensor)
        integer("system.captureBufferMb", 512, 64, 4096, "packet capture ring buffer per interface, MB", true);
        integer("system.maxAlertsPerMinute", 1000, 10, 100000, "alerts the sensor raises per minute before throttling", true);
        integer("system.processingThreads", 4, 1, 64, "threads of the analysis engine", true);
        integer("system.diskUsageAlarmPercent", 85, 50, 99, "disk usage that raises a sensor health warning", true);
        bool("system.deepPacketInspection", true, "inspect payloads, not only headers", true);
        put(new SettingDefinition("system.logLevel", SettingType.CHOICE, "INFO", "sensor engine log level", 0, 0,
                List.of("ERROR", "WARN", "INFO", "DEBUG"), false, false, true));
    }

    private SettingsCatalog() {
    }

    public static Optional<SettingDefinition> find(String key) {
        return Optional.ofNullable(ALL.get(key));
    }

    public static Collection<SettingDefinition> all() {
        return ALL.values();
    }

    private static void add(String key, SettingType type, Object dflt, String description, boolean sensorOnly) {
        put(new SettingDefinition(key, type, dflt, description, 0, 0, List.of(), sensorOnly, false, false));
    }

    private static void text(String key, String description, int maxLength, boolean secret) {
        put(new SettingDefinition(key, SettingType.TEXT, null, description, 0, maxLength, List.of(), false, secret, false));
    }

    private static void bool(String key, boolean dflt, String description, boolean confirm) {
        put(new SettingDefinition(key, SettingType.BOOLEAN, dflt, description, 0, 0, List.of(), false, false, confirm));
    }

    private static void integer(String key, long dflt, long min, long max, String description, boolean confirm) {
        put(new SettingDefinition(key, SettingType.INTEGER, dflt, description, min, max, List.of(), false, false, confirm));
    }

    private static void put(SettingDefinition d) {
        ALL.put(d.key(), d);
    }
}
