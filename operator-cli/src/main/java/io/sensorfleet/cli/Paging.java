package io.sensorfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * --page/--size: one page as the API answers it; without --page, every page, fetched with the
 * largest page size the operation allows and printed as one page-shaped document (page 0, size =
 * number of items, total from the console).
 */
public final class Paging {
    @Option(names = "--page", paramLabel = "N", description = "Only this page (zero-based) instead of all of them.")
    Integer page;

    @Option(names = "--size", paramLabel = "N", description = "Page size with --page (the API's default otherwise).")
    Integer size;

    public JsonNode fetch(ConsoleClient client, String path, Map<String, ?> filters, int maxSize) {
        return fetch(query -> client.get(path, query), filters, maxSize);
    }

    /** As above, with the page request given as a function of its query parameters. */
    JsonNode fetch(Function<Map<String, Object>, JsonNode> getPage, Map<String, ?> filters, int maxSize) {
        if (page != null && page < 0) {
            throw CliException.usage("--page must be 0 or more");
        }
        if (size != null && (size < 1 || size > maxSize)) {
            throw CliException.usage("--size must be 1 to " + maxSize);
        }
        if (page != null) {
            return getPage.apply(with(filters, page, size));
        }
        int pageSize = size != null ? size : maxSize;
        ArrayNode items = ConsoleClient.JSON.createArrayNode();
        long total;
        int p = 0;
        while (true) {
            JsonNode answer = getPage.apply(with(filters, p, pageSize));
            answer.path("items").forEach(items::add);
            total = answer.path("total").asLong();
            if ((long) (p + 1) * pageSize >= total || answer.path("items").isEmpty()) {
                break;
            }
            p++;
        }
        ObjectNode all = ConsoleClient.JSON.createObjectNode();
        all.set("items", items);
        all.put("page", 0);
        all.put("size", items.size());
        all.put("total", total);
        return all;
    }

    private static Map<String, Object> with(Map<String, ?> filters, int page, Integer size) {
        Map<String, Object> q = new LinkedHashMap<>(filters);
        q.put("page", page);
        q.put("size", size);
        return q;
    }
}
