package io.sensorfleet.agent.appliance;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The systemd units match the privilege split: the network-facing agent runs as its own user with
 * no capability, and only the socket-activated helper runs as root, reachable by the agent's group.
 */
class ApplianceUnitFilesTest {
    static final Path UNITS = Path.of("..", "deploy", "systemd");

    @Test
    void theAgentRunsWithoutRootAndWithoutCapabilities() throws IOException {
        List<String> agent = lines("sensorfleet-agent.service");

        assertTrue(agent.contains("User=sensorfleet-agent"), agent.toString());
        assertTrue(agent.contains("CapabilityBoundingSet="), "an empty bounding set: " + agent);
        assertTrue(agent.contains("AmbientCapabilities="), agent.toString());
        assertTrue(agent.contains("NoNewPrivileges=true"), agent.toString());
        assertTrue(agent.contains("Environment=SENSORFLEET_AGENT_APPLIANCE=helper"), agent.toString());
        assertTrue(agent.stream().noneMatch(l -> l.startsWith("User=root")), agent.toString());
    }

    @Test
    void onlyTheAgentsGroupReachesTheRootHelperOneRequestPerInstance() throws IOException {
        List<String> socket = lines("sensorfleet-appliance.socket");
        List<String> helper = lines("sensorfleet-appliance@.service");

        assertTrue(socket.contains("Accept=yes"), socket.toString());
        assertTrue(socket.contains("SocketGroup=sensorfleet-agent"), socket.toString());
        assertTrue(socket.contains("SocketMode=0660"), socket.toString());
        assertTrue(socket.contains("ListenStream=/run/sensorfleet-agent/appliance.sock"), socket.toString());
        assertTrue(helper.contains("StandardInput=socket") && helper.contains("StandardOutput=socket"), helper.toString());
        assertTrue(helper.stream().anyMatch(l -> l.startsWith("ExecStart=") && l.endsWith(" appliance-helper")),
                helper.toString());
        assertEquals(List.of("CapabilityBoundingSet=CAP_NET_ADMIN CAP_SYS_ADMIN"),
                helper.stream().filter(l -> l.startsWith("CapabilityBoundingSet=")).toList());
        assertTrue(helper.contains("IPAddressDeny=any"), helper.toString());
    }

    private static List<String> lines(String unit) throws IOException {
        return Files.readAllLines(UNITS.resolve(unit)).stream().map(String::strip).toList();
    }
}
