package io.sensorfleet.protocol.v1.update;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionsTest {
    @Test
    void comparesPartByPartNumerically() {
        assertTrue(Versions.newer("10.5.5", "3.1.1"));
        assertTrue(Versions.newer("22.1.0", "22.0.12"));
        assertTrue(Versions.compare("1.0", "1.0.0") == 0);
        assertTrue(Versions.newer("1.0.0", "1.0.0-rc1"));
    }

    @Test
    void prefixPatternsMatchWholeParts() {
        assertTrue(Versions.matches("10.5.x", "10.5.12"));
        assertFalse(Versions.matches("10.5.x", "10.50.1"));
        assertTrue(Versions.matches("3.1.1", "3.1.1"));
        assertFalse(Versions.matches("3.1.1", "3.1.2"));
    }

    @Test
    void rejectsVersionsWithPathTricksOrSpaces() {
        assertFalse(Versions.valid("../1.0"));
        assertFalse(Versions.valid("1.0 beta"));
        assertFalse(Versions.valid(""));
        assertTrue(Versions.valid("22.1.3"));
    }
}
