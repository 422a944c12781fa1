package io.sensorfleet.console.platform;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class IsoInstantsTest {

    @Test
    void formatWritesWhatInstantToStringWrites() {
        Random random = new Random(18);
        for (int i = 0; i < 200_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-70_000_000_000L, 260_000_000_000L), nanos(random));
            assertEquals(t.toString(), IsoInstants.format(t));
        }
        for (Instant t : List.of(Instant.EPOCH, Instant.MIN, Instant.MAX, Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("2024-02-29T12:00:00.100Z"))) {
            assertEquals(t.toString(), IsoInstants.format(t));
        }
    }

    @Test
    void parseReadsWhatInstantParseReadsInTheAgentsForm() {
        Random random = new Random(18);
        for (int i = 0; i < 200_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(0, 253_402_300_799L), nanos(random));
            String text = t.toString();
            assertEquals(Instant.parse(text), IsoInstants.parseOrNull(text), text);
            // Any number of fraction digits, not only groups of three.
            String trimmed = text.contains(".") ? text.replaceAll("0+Z$", "Z").replace(".Z", "Z") : text;
            assertEquals(Instant.parse(trimmed), IsoInstants.parseOrNull(trimmed), trimmed);
        }
    }

    @Test
    void parseLeavesEveryOtherFormToTheJdk() {
        for (String s : List.of("", "2026-12-05T03:07:55", "2026-12-05 03:07:55Z", "2026-02-30T03:07:55Z",
                "2026-13-05T03:07:55Z", "2026-12-05T24:00:00Z", "2026-12-05T23:59:60Z", "2026-12-05T03:07:55.Z",
                "2026-12-05T03:07:55.1234567890Z", "2026-12-05T03:07:55+01:00", "+12026-12-05T03:07:55Z",
                "2026-12-05t03:07:55z", "2026-1a-05T03:07:55Z", "2026-12-05T03:07:5-Z", "-026-12-05T03:07:55Z")) {
            assertNull(IsoInstants.parseOrNull(s), s);
        }
    }

    private static int nanos(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
    }
}
