package io.sensorfleet.agent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MainTest {
    private final String before = System.getProperty(Main.KEEPALIVE_PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(Main.KEEPALIVE_PROPERTY);
        } else {
            System.setProperty(Main.KEEPALIVE_PROPERTY, before);
        }
    }

    @Test
    void pooledConnectionsOutliveTheHeartbeatInterval() {
        System.clearProperty(Main.KEEPALIVE_PROPERTY);

        Main.keepConnectionsAcrossHeartbeats();

        int seconds = Integer.parseInt(System.getProperty(Main.KEEPALIVE_PROPERTY));
        assertEquals(90, seconds);
    }

    @Test
    void anOperatorsOwnValueIsKept() {
        System.setProperty(Main.KEEPALIVE_PROPERTY, "45");

        Main.keepConnectionsAcrossHeartbeats();

        assertEquals("45", System.getProperty(Main.KEEPALIVE_PROPERTY));
    }
}
