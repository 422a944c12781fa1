package io.sensorfleet.agent.appliance;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Linux appliance under a temporary system root: files written, read back, drift seen. */
class ApplianceFilesTest {
    @TempDir
    Path root;
    LinuxAppliance appliance;
    Path reloads;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(root.resolve("usr/share/zoneinfo/Europe"));
        Files.writeString(root.resolve("usr/share/zoneinfo/Europe/Berlin"), "TZif");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hosts"), "127.0.0.1\tlocalhost\n127.0.1.1\told-name\n::1\tlocalhost\n");
        Files.writeString(root.resolve("etc/resolv.conf"), "search plant.example\nnameserver 192.0.2.53\noptions edns0\n");
        reloads = root.resolve("reloads.log");
        Path script = root.resolve("reload-engine.sh");
        Files.writeString(script, "#!/bin/sh\necho reloaded >> " + reloads + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        ApplianceConfig config = ApplianceConfig.forRoot(root, Optional.empty())
                .withHostnameCommand(List.of()).withEngineReload(List.of(script.toString()));
        appliance = new LinuxAppliance(config, Commands.system(Duration.ofSeconds(10)));
    }

    @Test
    void timeZoneLinksLocaltimeIntoTheZoneDatabaseAndWritesTheNameFile() throws Exception {
        appliance.apply(Map.of("time.timeZone", "Europe/Berlin"));

        assertEquals(Path.of("/usr/share/zoneinfo/Europe/Berlin"), Files.readSymbolicLink(root.resolve("etc/localtime")));
        assertEquals("Europe/Berlin\n", Files.readString(root.resolve("etc/timezone")));
        assertEquals("Europe/Berlin", appliance.readBack(Map.of()).get("time.timeZone"));
    }

    @Test
    void timeZoneWithoutZoneDataIsRefusedNamingTheKey() {
        ApplianceException e = assertThrows(ApplianceException.class,
                () -> appliance.apply(Map.of("time.timeZone", "Asia/Tokyo")));
        assertEquals("time.timeZone", e.key());
        assertTrue(e.getMessage().contains("no time zone data"), e.getMessage());
        assertFalse(Files.exists(root.resolve("etc/localtime"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void hostnameWritesHostnameAndReplacesTheLoopbackLineOfHosts() throws Exception {
        appliance.apply(Map.of("network.hostname", "substation-7"));

        assertEquals("substation-7\n", Files.readString(root.resolve("etc/hostname")));
        assertEquals("127.0.0.1\tlocalhost\n127.0.1.1\tsubstation-7\n::1\tlocalhost\n",
                Files.readString(root.resolve("etc/hosts")));
        assertEquals("substation-7", appliance.readBack(Map.of()).get("network.hostname"));
    }

    @Test
    void dnsReplacesNameserverLinesAndKeepsTheOthers() throws Exception {
        appliance.apply(Map.of("network.dnsServers", List.of("198.51.100.53", "2001:db8::53")));

        assertEquals("search plant.example\nnameserver 198.51.100.53\nnameserver 2001:db8::53\noptions edns0\n",
                Files.readString(root.resolve("etc/resolv.conf")));
        assertEquals(List.of("198.51.100.53", "2001:db8::53"), appliance.readBack(Map.of()).get("network.dnsServers"));
    }

    @Test
    void dnsUnderSystemdResolvedGoesToADropInNotThroughItsLink() throws Exception {
        Files.delete(root.resolve("etc/resolv.conf"));
        Files.createSymbolicLink(root.resolve("etc/resolv.conf"), Path.of("../run/systemd/resolve/stub-resolv.conf"));

        appliance.apply(Map.of("network.dnsServers", List.of("198.51.100.53")));

        assertEquals("# written by sensor-agent from the console's settings\n[Resolve]\nDNS=198.51.100.53\n",
                Files.readString(root.resolve(Dns.RESOLVED_DROP_IN)));
        assertTrue(Files.isSymbolicLink(root.resolve("etc/resolv.conf")));
    }

    @Test
    void systemPropertiesAreRenderedToTheEngineFileAndTheReloadRunsOnlyWhenItChanged() throws Exception {
        Map<String, Object> props = Map.of("system.processingThreads", 8, "system.deepPacketInspection", false);
        appliance.apply(props);
        appliance.apply(props);

        String engine = Files.readString(root.resolve("etc/sensorfleet/engine.conf"));
        assertTrue(engine.contains("processingThreads = 8\n"), engine);
        assertTrue(engine.contains("deepPacketInspection = false\n"), engine);
        assertEquals("reloaded\n", Files.readString(reloads));
        Map<String, Object> read = appliance.readBack(Map.of());
        assertEquals(8L, read.get("system.processingThreads"));
        assertEquals(false, read.get("system.deepPacketInspection"));
    }

    @Test
    void aFailingReloadIsReportedWithTheKeyThatChanged() throws Exception {
        ApplianceConfig failing = appliance.config().withEngineReload(List.of("false"));
        LinuxAppliance a = new LinuxAppliance(failing, Commands.system(Duration.ofSeconds(5)));
        ApplianceException e = assertThrows(ApplianceException.class,
                () -> a.apply(Map.of("system.maxAlertsPerMinute", 500)));
        assertEquals("system.maxAlertsPerMinute", e.key());
        assertTrue(e.getMessage().contains("the engine did not reload (exit 1)"), e.getMessage());
    }

    @Test
    void proxyIsWrittenForTheEngineAndTheAgentWithoutShowingThePassword() throws Exception {
        appliance.apply(Map.of("network.proxy", "proxy.plant.example:3128", "network.proxyUser", "sensor",
                "network.proxyPassword", "s3cret/:@"));

        Path env = root.resolve("etc/sensorfleet/proxy.env");
        String text = Files.readString(env);
        assertTrue(text.contains("HTTPS_PROXY=http://sensor:s3cret%2F%3A%40@proxy.plant.example:3128\n"), text);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(env)));
        Map<String, Object> read = appliance.readBack(Map.of());
        assertEquals("proxy.plant.example:3128", read.get("network.proxy"));
        assertEquals("sensor", read.get("network.proxyUser"));
        assertFalse(read.containsKey("network.proxyPassword"));
    }

    @Test
    void aLocalEditByHandIsReportedAsDrift() throws Exception {
        Map<String, Object> desired = Map.of("time.timeZone", "Europe/Berlin", "network.hostname", "substation-7",
                "network.dnsServers", List.of("198.51.100.53"), "system.processingThreads", 8);
        appliance.apply(desired);
        assertEquals(List.of(), SettingValues.differences(desired, appliance.readBack(desired), appliance.keys()));

        Files.writeString(root.resolve("etc/hostname"), "someone-else\n");
        Files.writeString(root.resolve("etc/resolv.conf"), "nameserver 203.0.113.53\n");
        Files.writeString(root.resolve("etc/sensorfleet/engine.conf"), "processingThreads = 2\n");
        Files.delete(root.resolve("etc/localtime"));
        Files.createSymbolicLink(root.resolve("etc/localtime"), Path.of("/usr/share/zoneinfo/UTC"));

        assertEquals(List.of("network.dnsServers", "network.hostname", "system.processingThreads", "time.timeZone"),
                SettingValues.differences(desired, appliance.readBack(desired), appliance.keys()));
    }

    @Test
    void masksAndAddressesCompareByMeaning() {
        assertTrue(SettingValues.same("network.subnetMask", "255.255.255.0", "24"));
        assertTrue(SettingValues.same("network.ipAddress", "2001:DB8:0:0::1", "2001:db8::1"));
        assertTrue(SettingValues.same("system.processingThreads", 8, 8L));
        assertFalse(SettingValues.same("network.ipAddress", "192.0.2.10", "192.0.2.11"));
        assertEquals("2001:db8::1:0:0:1", SettingValues.canonicalIp("2001:db8:0:0:1:0:0:1"));
        assertEquals("::1", SettingValues.canonicalIp("0:0:0:0:0:0:0:1"));
    }
}
