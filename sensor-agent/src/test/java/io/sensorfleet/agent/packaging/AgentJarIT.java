package io.sensorfleet.agent.packaging;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged agent holds only what runs on a sensor: no load simulator, no vendor signing tool, no Jackson databind. */
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

    @Test
    void theAgentJarHoldsNoJacksonDatabind() throws Exception {
        // Its ~700 classes cost the idle agent 5 MB of resident memory; lib.json reads the protocol instead.
        try (JarFile file = new JarFile(Path.of("target/sensor-agent.jar").toFile())) {
            List<String> jackson = file.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith("com/fasterxml/jackson/") && name.endsWith(".class"))
                    .filter(name -> !name.startsWith("com/fasterxml/jackson/annotation/"))
                    .limit(5).toList();
            assertEquals(List.of(), jackson);
            assertTrue(file.getEntry("io/sensorfleet/lib/json/Json.class") != null, "the agent's codec is there");
        }
    }
}
