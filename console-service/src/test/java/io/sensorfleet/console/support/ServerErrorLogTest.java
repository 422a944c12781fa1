package io.sensorfleet.console.support;

import org.junit.jupiter.api.Test;

import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerErrorLogTest {
    @Test
    void anErrorLoggedDuringTheTestFailsIt() {
        ServerErrorLog log = new ServerErrorLog();
        log.beforeEach(null);
        Logger.getLogger("io.sensorfleet.console.agentplane.AgentRouter").warning("a warning is not an error");
        Logger.getLogger("io.sensorfleet.console.agentplane.AgentRouter")
                .log(java.util.logging.Level.SEVERE, "agent-plane request failed",
                        new IllegalStateException("Response has already been written"));
        assertEquals(1, log.count());
        AssertionError failure = assertThrows(AssertionError.class, () -> log.afterEach(null));
        assertTrue(failure.getMessage().contains("Response has already been written"), failure.getMessage());
    }

    @Test
    void aQuietTestPasses() {
        ServerErrorLog log = new ServerErrorLog();
        log.beforeEach(null);
        Logger.getLogger("io.sensorfleet.console").info("all well");
        log.afterEach(null);
        assertEquals(0, log.count());
    }
}
