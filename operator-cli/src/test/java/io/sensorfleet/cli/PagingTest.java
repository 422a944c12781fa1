package io.sensorfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PagingTest {
    /** A console holding {@code total} items answering pages of the size asked for; records each query. */
    private static final class FakePages {
        final int total;
        final List<Map<String, Object>> queries = new ArrayList<>();

        FakePages(int total) {
            this.total = total;
        }

        JsonNode page(Map<String, Object> q) {
            queries.add(q);
            int page = (Integer) q.get("page");
            int size = q.get("size") == null ? 50 : (Integer) q.get("size");
            ArrayNode items = ConsoleClient.JSON.createArrayNode();
            for (int i = page * size; i < Math.min(total, (page + 1) * size); i++) {
                items.add(ConsoleClient.JSON.createObjectNode().put("id", "s" + i));
            }
            ObjectNode n = ConsoleClient.JSON.createObjectNode();
            n.set("items", items);
            n.put("page", page).put("size", size).put("total", total);
            return n;
        }
    }

    private static Paging paging(String... args) {
        Paging p = new Paging();
        new CommandLine(p).parseArgs(args);
        return p;
    }

    @Test
    void withoutPageEveryPageIsFetchedWithTheLargestSizeAndJoined() {
        FakePages console = new FakePages(2501);
        JsonNode all = paging().fetch(console::page, Map.of("health", "FAILED"), 1000);
        assertEquals(3, console.queries.size());
        assertEquals(Map.of("health", "FAILED", "page", 2, "size", 1000), console.queries.get(2));
        assertEquals(2501, all.get("items").size());
        assertEquals(2501, all.get("size").asInt());
        assertEquals(2501, all.get("total").asLong());
        assertEquals("s2500", all.get("items").get(2500).get("id").asText());
    }

    @Test
    void anEmptyInventoryIsOneRequest() {
        FakePages console = new FakePages(0);
        assertEquals(0, paging().fetch(console::page, Map.of(), 1000).get("items").size());
        assertEquals(1, console.queries.size());
    }

    @Test
    void withPageOnlyThatPageIsFetchedAsTheApiAnswersIt() {
        FakePages console = new FakePages(120);
        JsonNode one = paging("--page", "2", "--size", "50").fetch(console::page, Map.of(), 1000);
        assertEquals(1, console.queries.size());
        assertEquals(20, one.get("items").size());
        assertEquals(2, one.get("page").asInt());
        assertEquals(50, one.get("size").asInt());
    }
}
