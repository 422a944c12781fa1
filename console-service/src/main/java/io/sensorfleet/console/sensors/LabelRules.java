package io.sensorfleet.console.sensors;

import io.sensorfleet.console.common.ProblemException;

import java.util.regex.Pattern;

/**
 * What a label may be. Keys are short identifiers (letters, digits, '.', '_', '-', '/'; starting
 * with a letter or digit) so they read the same in a filter, a URL and a CSV header; values are
 * printable text without control characters, so nothing a label holds can break a log line, a
 * CSV row or a page. A sensor holds at most {@link #MAX_PER_SENSOR} labels.
 */
public final class LabelRules {
    public static final int MAX_KEY = 63;
    public static final int MAX_VALUE = 200;
    public static final int MAX_PER_SENSOR = 32;
    /** Keys set or removed in one request, and label conditions in one filter. */
    public static final int MAX_PER_REQUEST = 32;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0," + (MAX_KEY - 1) + "}");
    private static final Pattern VALUE = Pattern.compile("[^\\p{Cntrl}\\p{Zl}\\p{Zp}]{0," + MAX_VALUE + "}");

    private LabelRules() {
    }

    public static String key(String field, String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw ProblemException.badRequest(field + ": a label key is 1 to " + MAX_KEY + " letters, digits, '.', '_', "
                    + "'-' or '/', starting with a letter or digit");
        }
        return key;
    }

    public static String value(String field, String value) {
        if (value == null || !VALUE.matcher(value).matches() || !value.equals(value.strip())) {
            throw ProblemException.badRequest(field + ": a label value is at most " + MAX_VALUE
                    + " characters, no control characters, no leading or trailing space");
        }
        return value;
    }

    /**
     * One label condition of a filter: "key=value" (that value) or "key" (any value).
     *
     * @param value null for "the key exists"
     */
    public record Selector(String key, String value) {
        public static Selector parse(String text) {
            if (text == null) {
                throw ProblemException.badRequest("label: give key=value or key");
            }
            int eq = text.indexOf('=');
            return eq < 0 ? new Selector(LabelRules.key("label", text.strip()), null)
                    : new Selector(LabelRules.key("label", text.substring(0, eq).strip()), LabelRules.value("label", text.substring(eq + 1)));
        }

        @Override
        public String toString() {
            return value == null ? key : key + "=" + value;
        }
    }
}
