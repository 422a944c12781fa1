package io.sensorfleet.console.web.session;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SizeFormatTest {
    @Test
    void sizesAreShownInBinaryUnits() {
        WebUser ui = new WebUser();
        assertEquals("0 B", ui.size(0));
        assertEquals("1023 B", ui.size(1023));
        assertEquals("10.0 KiB", ui.size(10_240));
        assertEquals("10.0 GiB", ui.size(10_737_418_240L));
    }
}
