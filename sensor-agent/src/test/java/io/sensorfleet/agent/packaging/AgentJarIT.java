package io.sensorfleet.agent.packaging;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged agent holds only what runs on a sensor: no load simulator, no vendor signing tool. */
class AgentJarIT {
    private static final List<String> TOOLING = List.of("io/sensorfleet/simulator/", "io/sensorfleet/updatetools/",
            "/simulator/", "PackageBuilder", "PackageCommand", "SimulateCommand", "ConnectionStringSource",
            "FleetSimulator");

    @Test
    void theAgentJarHoldsNoSimulatorOrSigningClass() throws Exception {
        Path jar = Path.of("target/sensor-agent.jar");
        assertTrue(Files.isRegularFile(jar), "package the agent first: " + jar.toAbsolutePath());
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> tooling = file.stream().map(ZipEntry::getName)
                    .filter(name -> TOOLING.stream().anyMatch(name::contains))
                    .toList();
            assertEquals(List.of(), tooling);
            assertTrue(file.getEntry("io/sensorfleet/agent/Main.class") != null, "the agent itself is there");
        }
    }
}
