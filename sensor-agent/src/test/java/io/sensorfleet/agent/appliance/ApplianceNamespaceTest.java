package io.sensorfleet.agent.appliance;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The management interface changed for real, inside a network namespace this test creates (a
 * veth pair with documentation addresses, routing nothing anywhere) and deletes; the
 * kernel host name inside a UTS namespace of its own. Checked with {@code ip -n}, not with the
 * adapter's own reading.
 */
class ApplianceNamespaceTest {
    static final Commands SYSTEM = Commands.system(Duration.ofSeconds(10));

    @TempDir
    Path root;
    String ns;
    LinuxAppliance appliance;

    @BeforeEach
    void createNamespace() throws Exception {
        ns = "sf-appl-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        Commands.Result made = SYSTEM.run(List.of("ip", "netns", "add", ns));
        assumeTrue(made.ok(), "creating a network namespace is refused here (" + made.reason() + "); test skipped");
        // A veth pair with both ends in the namespace: this kernel may lack the dummy driver.
        sh("ip", "-n", ns, "link", "add", "mgmt0", "type", "veth", "peer", "name", "peer0");
        sh("ip", "-n", ns, "link", "set", "peer0", "up");
        sh("ip", "-n", ns, "link", "set", "mgmt0", "up");
        sh("ip", "-n", ns, "addr", "add", "192.0.2.10/24", "dev", "mgmt0");
        sh("ip", "-n", ns, "route", "add", "default", "via", "192.0.2.1", "dev", "mgmt0");
        ApplianceConfig config = ApplianceConfig.forRoot(root, Optional.of("mgmt0"))
                .withIpCommand(List.of("ip", "-n", ns)).withHostnameCommand(List.of());
        appliance = new LinuxAppliance(config, SYSTEM);
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        if (ns != null) {
            SYSTEM.run(List.of("ip", "netns", "del", ns));
        }
    }

    @Test
    void aNewAddressAndGatewayAreInForceAsIpShowsThemAndPersistedForNetworkd() throws Exception {
        Map<String, Object> desired = Map.of("network.ipAddress", "192.0.2.20", "network.subnetMask", "255.255.255.0",
                "network.defaultGateway", "192.0.2.254");

        appliance.apply(desired);

        String addr = sh("ip", "-n", ns, "addr", "show", "dev", "mgmt0");
        assertTrue(addr.contains("inet 192.0.2.20/24"), addr);
        assertFalse(addr.contains("192.0.2.10"), addr);
        assertTrue(sh("ip", "-n", ns, "route", "show", "default").contains("via 192.0.2.254 dev mgmt0"));
        assertEquals(Map.of("network.ipAddress", "192.0.2.20", "network.subnetMask", "255.255.255.0",
                "network.defaultGateway", "192.0.2.254"), pick(appliance.readBack(desired)));
        assertEquals("# written by sensor-agent from the console's settings\n[Match]\nName=mgmt0\n\n[Network]\n"
                        + "Address=192.0.2.20/24\nGateway=192.0.2.254\n",
                Files.readString(root.resolve("etc/systemd/network/10-sensorfleet-mgmt0.network")));
    }

    @Test
    void anIpv6AddressIsAppliedBesideTheIpv4One() throws Exception {
        Map<String, Object> desired = Map.of("network.ipAddress", "2001:db8:0:0::20", "network.subnetMask", "64",
                "network.defaultGateway", "2001:db8::1");

        appliance.apply(desired);

        String addr = sh("ip", "-n", ns, "addr", "show", "dev", "mgmt0");
        assertTrue(addr.contains("inet6 2001:db8::20/64"), addr);
        assertTrue(addr.contains("inet 192.0.2.10/24"), addr);
        assertTrue(sh("ip", "-n", ns, "-6", "route", "show", "default").contains("via 2001:db8::1 dev mgmt0"));
        assertEquals(List.of(), SettingValues.differences(desired, appliance.readBack(desired), NetworkTrial.KEYS));
    }

    @Test
    void aSnapshotPutsBackTheAddressAndGatewayOfBefore() throws Exception {
        NetworkSnapshot before = appliance.snapshotNetwork();
        appliance.apply(Map.of("network.ipAddress", "198.51.100.20", "network.subnetMask", "24",
                "network.defaultGateway", "198.51.100.1", "network.dnsServers", List.of("198.51.100.53")));

        appliance.restoreNetwork(before);

        String addr = sh("ip", "-n", ns, "addr", "show", "dev", "mgmt0");
        assertTrue(addr.contains("inet 192.0.2.10/24"), addr);
        assertFalse(addr.contains("198.51.100.20"), addr);
        assertTrue(sh("ip", "-n", ns, "route", "show", "default").contains("via 192.0.2.1 dev mgmt0"));
        assertFalse(Files.exists(root.resolve("etc/systemd/network/10-sensorfleet-mgmt0.network")));
        assertFalse(Files.exists(root.resolve("etc/resolv.conf")));
    }

    @Test
    void theKernelHostNameIsSetAndReadInAUtsNamespace() throws Exception {
        Path uts = root.resolve("uts");
        Files.createFile(uts);
        Commands.Result made = SYSTEM.run(List.of("unshare", "--uts=" + uts, "true"));
        assumeTrue(made.ok(), "creating a UTS namespace is refused here (" + made.reason() + "); test skipped");
        try {
            LinuxAppliance inUts = new LinuxAppliance(appliance.config()
                    .withHostnameCommand(List.of("nsenter", "--uts=" + uts, "hostname")), SYSTEM);

            inUts.apply(Map.of("network.hostname", "substation-7"));

            assertEquals("substation-7", sh("nsenter", "--uts=" + uts, "hostname").strip());
            assertEquals("substation-7", inUts.readBack(Map.of()).get("network.hostname"));
            sh("nsenter", "--uts=" + uts, "hostname", "changed-by-hand");
            assertEquals("changed-by-hand (/etc/hostname says substation-7)", inUts.readBack(Map.of()).get("network.hostname"));
        } finally {
            SYSTEM.run(List.of("umount", uts.toString()));
        }
    }

    private static Map<String, Object> pick(Map<String, Object> read) {
        Map<String, Object> out = new java.util.TreeMap<>(read);
        out.keySet().retainAll(NetworkTrial.KEYS);
        return out;
    }

    private static String sh(String... argv) throws IOException {
        Commands.Result r = SYSTEM.run(new ArrayList<>(List.of(argv)));
        if (!r.ok()) {
            throw new IOException(String.join(" ", argv) + ": " + r.reason());
        }
        return r.out();
    }
}
