package io.sensorfleet.protocol.v1.update;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void validAcceptsExactlyTheVersionGrammar() {
        // The grammar as a regular expression, the form it was written in before the hand-written check.
        Pattern grammar = Pattern.compile("[0-9A-Za-z][0-9A-Za-z+_-]*(\\.[0-9A-Za-z+_-]+){0,7}");
        String alphabet = "aZ09.+_- /é";
        Random random = new Random(18);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder v = new StringBuilder();
            int length = random.nextInt(20);
            for (int j = 0; j < length; j++) {
                v.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = v.toString();
            assertEquals(grammar.matcher(s).matches(), Versions.valid(s), "\"" + s + "\"");
        }
        assertTrue(Versions.valid("1.2.3.4.5.6.7.8"));
        assertFalse(Versions.valid("1.2.3.4.5.6.7.8.9"), "at most 8 parts");
        assertTrue(Versions.valid("1".repeat(64)));
        assertFalse(Versions.valid("1".repeat(65)), "at most 64 characters");
        assertFalse(Versions.valid(null));
    }
}
