package io.sensorfleet.agent.appliance;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unprivileged agent's appliance talking to the privileged helper over a Unix socket, one
 * connection per request as systemd's socket activation hands them over.
 */
class ApplianceHelperTest {
    @TempDir
    Path dir;
    Path root;
    ServerSocketChannel server;
    Thread serving;
    HelperAppliance agentSide;

    @BeforeEach
    void startHelper() throws Exception {
        root = dir.resolve("root");
        Files.createDirectories(root.resolve("usr/share/zoneinfo/Europe"));
        Files.writeString(root.resolve("usr/share/zoneinfo/Europe/Berlin"), "TZif");
        ApplianceHelper helper = new ApplianceHelper(new LinuxAppliance(ApplianceConfig.forRoot(root, Optional.empty())
                .withHostnameCommand(List.of()).withEngineReload(List.of()), Commands.system(Duration.ofSeconds(5))));
        Path socket = dir.resolve("appliance.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
        serving = Thread.ofPlatform().daemon().start(() -> {
            while (server.isOpen()) {
                try (SocketChannel c = server.accept()) {
                    helper.serve(Channels.newInputStream(c), Channels.newOutputStream(c));
                } catch (Exception e) {
                    return;
                }
            }
        });
        agentSide = new HelperAppliance(socket);
    }

    @AfterEach
    void stopHelper() throws Exception {
        server.close();
        serving.join(2000);
    }

    @Test
    void settingsPutInForceThroughTheHelperAreReadBackThroughIt() throws Exception {
        assertTrue(agentSide.keys().contains("time.timeZone"));

        agentSide.apply(Map.of("time.timeZone", "Europe/Berlin", "network.hostname", "substation-7"));

        assertEquals("substation-7\n", Files.readString(root.resolve("etc/hostname")));
        Map<String, Object> read = agentSide.readBack(Map.of());
        assertEquals("Europe/Berlin", read.get("time.timeZone"));
        assertEquals("substation-7", read.get("network.hostname"));
    }

    @Test
    void theHelperValidatesAgainWhatTheAgentSends() {
        ApplianceException e = assertThrows(ApplianceException.class,
                () -> agentSide.apply(Map.of("network.hostname", "bad name; rm -rf /")));
        assertEquals("network.hostname", e.key());
        assertTrue(e.getMessage().startsWith("network.hostname: refused: must be a host name"), e.getMessage());
        assertFalse(Files.exists(root.resolve("etc/hostname")));

        ApplianceException unknown = assertThrows(ApplianceException.class,
                () -> agentSide.apply(Map.of("etc.shadow", "x")));
        assertTrue(unknown.getMessage().contains("unknown setting"), unknown.getMessage());
    }

    @Test
    void aRestoreMayOnlyWriteTheNetworkFilesOfTheAppliance() {
        NetworkSnapshot forged = new NetworkSnapshot(List.of(), List.of(), Map.of("etc/shadow", "root::0:0:::::\n"));

        ApplianceException e = assertThrows(ApplianceException.class, () -> agentSide.restoreNetwork(forged));

        assertTrue(e.getMessage().contains("may not name etc/shadow"), e.getMessage());
        assertFalse(Files.exists(root.resolve("etc/shadow")));
    }

    @Test
    void anUnreachableHelperIsAFailureNamingTheSocket() throws Exception {
        server.close();
        HelperAppliance nobody = new HelperAppliance(dir.resolve("missing.sock"));
        ApplianceException e = assertThrows(ApplianceException.class, () -> nobody.apply(Map.of("time.timeZone", "UTC")));
        assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
        assertEquals(Map.of(), nobody.readBack(Map.of()));
    }
}
