package io.sensorfleet.agent.cli;

import io.sensorfleet.agent.AgentConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The appliance options sit beside run's own, once each (picocli refuses a name used twice at start). */
class ApplianceOptionsTest {
    @TempDir
    Path state;

    @Test
    void runNamesItsApplianceOptionsInItsHelp() {
        CliRun run = CliRun.of(AgentConfig.defaults().withStateDir(state), "run", "--help");

        assertEquals(0, run.exitCode(), run.err());
        for (String option : new String[]{"--appliance", "--system-root", "--management-interface", "--engine-reload",
                "--helper-socket"}) {
            assertTrue(run.out().contains(option), option + " in " + run.out());
        }
    }

    @Test
    void anUnknownApplianceKindIsRefusedInOneLine() {
        CliRun run = CliRun.of(AgentConfig.defaults().withStateDir(state), "run", "--appliance", "windows");

        assertEquals(2, run.exitCode());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().contains("--appliance"), run.err());
    }
}
