package io.sensorfleet.console.web.pages;

import io.sensorfleet.console.common.Page;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PagesTest {

    @Test
    void returnAddressesStayInsideTheWebConsole() {
        assertEquals("/ui/zones?page=2", Pages.localPath("/ui/zones?page=2", "/ui"));
        for (String bad : new String[]{"https://evil.example/", "//evil.example/ui", "/ui/\\\\evil", "/api/v1/sensors",
                "/ui/x\r\nSet-Cookie: a=b", null}) {
            assertEquals("/ui", Pages.localPath(bad, "/ui"), String.valueOf(bad));
        }
    }

    @Test
    void pagerCountsFromOneAndKnowsItsNeighbours() {
        Pager p = Pager.of(new Page<>(List.of(), 1, 50, 120), "/ui/sensors?");
        assertEquals(2, p.number());
        assertEquals(3, p.pages());
        assertEquals(51, p.from());
        assertEquals(100, p.to());
        assertTrue(p.hasPrevious() && p.hasNext());
        assertEquals("/ui/sensors?page=2", p.next());
        Pager empty = Pager.of(new Page<>(List.of(), 0, 50, 0), "/ui/sensors?");
        assertEquals(1, empty.pages());
        assertEquals(0, empty.from());
        assertFalse(empty.hasNext());
    }
}
