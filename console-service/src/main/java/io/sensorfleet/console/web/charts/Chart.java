package io.sensorfleet.console.web.charts;

import java.util.List;

/**
 * A rendered chart and its text alternative: the SVG (with its own title and description), a one-line
 * summary shown under it, and the data as a table for a {@code <details>} next to it.
 *
 * @param id      unique on the page; prefixes the ids inside the SVG
 * @param svg     the markup, safe to embed as is (every text in it is escaped)
 * @param title   what the chart shows
 * @param summary the gist in words: the latest values, or that there is no data yet
 * @param columns the table's header
 * @param rows    the table's rows, as text
 */
public record Chart(String id, String svg, String title, String summary, List<String> columns, List<List<String>> rows) {
    public boolean empty() {
        return rows.isEmpty();
    }
}
