package io.sensorfleet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;

/** Printing answers: the API's JSON as one pretty document, or "key: value" lines for one object. */
public final class Output {
    private Output() {
    }

    public static void json(PrintWriter out, JsonNode node) {
        try {
            out.println(ConsoleClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One object as aligned "key: value" lines; nested objects and arrays as compact JSON. */
    public static void fields(PrintWriter out, JsonNode node) {
        int width = 0;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            width = Math.max(width, it.next().length());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.println(e.getKey() + ":" + " ".repeat(width - e.getKey().length() + 1) + Table.cell(text(e.getValue())));
        }
        out.flush();
    }

    /** A value for a table cell: text as is, null as "-", structures as compact JSON. */
    public static String text(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }
}
