package io.sensorfleet.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.agent.appliance.ApplianceHelper;
import io.sensorfleet.agent.appliance.TrialJournal;
import io.sensorfleet.agent.backup.BackupManifest;
import io.sensorfleet.agent.identity.AgentStatus;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.agent.settings.SettingsStore;
import io.sensorfleet.agent.status.StatusReport;
import io.sensorfleet.agent.testing.ConsoleJson;
import io.sensorfleet.agent.testing.RecordSamples;
import io.sensorfleet.lib.activation.ActivationClaims;
import io.sensorfleet.lib.json.Json;
import io.sensorfleet.lib.packages.PackageSignature;
import io.sensorfleet.lib.packages.UpdateManifest;
import io.sensorfleet.protocol.v1.Problem;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's codec and the console's Jackson mapper speak the same JSON: for every protocol v1
 * record, the signed documents and the agent's own state files, each reads what the other wrote,
 * and the agent writes the very text Jackson writes (so files an older agent wrote with Jackson read
 * back the same, and files this agent writes read in an older one).
 */
class AgentJsonCompatibilityTest {
    private final ObjectMapper console = ConsoleJson.mapper();
    private final Json agent = AgentJson.mapper();

    @Test
    void everyProtocolRecordIsCovered() {
        List<Class<?>> protocol = RecordSamples.recordsBeside(Problem.class);
        assertTrue(protocol.size() >= 27, "protocol records found: " + protocol);
        assertTrue(protocol.stream().allMatch(type -> RecordSamples.of(type, 0).isPresent()), "each has a sample");
    }

    @TestFactory
    Stream<DynamicTest> agentAndConsoleReadEachOther() {
        List<Class<?>> types = new ArrayList<>(RecordSamples.recordsBeside(Problem.class));
        types.addAll(List.of(UpdateManifest.class, PackageSignature.class, ActivationClaims.class, Identity.class,
                AgentStatus.class, StatusReport.class, BackupManifest.class, SettingsStore.Applied.class,
                TrialJournal.Pending.class, ApplianceHelper.Request.class, ApplianceHelper.Response.class));
        return types.stream().flatMap(type -> Stream.of(0, 1, 2).map(variant -> DynamicTest.dynamicTest(
                type.getSimpleName() + " variant " + variant, () -> roundTrip(type, variant))));
    }

    private void roundTrip(Class<?> type, int variant) throws Exception {
        Optional<Object> sample = RecordSamples.of(type, variant);
        if (sample.isEmpty()) {
            assertTrue(variant > 0, type + " has no ordinary sample");
            return;
        }
        Object original = sample.get();
        String ours = agent.writeValueAsString(original);
        String theirs = console.writeValueAsString(original);
        assertEquals(theirs, ours, "the agent writes what Jackson writes");
        assertEquals(console.writerWithDefaultPrettyPrinter().writeValueAsString(original),
                agent.pretty().writeValueAsString(original), "pretty state files are laid out as Jackson did");
        assertEquals(original, console.readValue(ours, type), "the console reads the agent");
        assertEquals(original, agent.readValue(theirs, type), "the agent reads the console");
        assertEquals(original, agent.readValue(console.writerWithDefaultPrettyPrinter().writeValueAsString(original), type),
                "the agent reads files an older agent wrote");
    }

    @Test
    void unknownFieldsFromANewerConsoleAreIgnored() throws Exception {
        Problem p = agent.readValue("{\"type\":\"t\",\"added\":{\"x\":[1,2]},\"status\":409,\"more\":null}", Problem.class);
        assertEquals(new Problem("t", null, 409, null, null), p);
    }
}
