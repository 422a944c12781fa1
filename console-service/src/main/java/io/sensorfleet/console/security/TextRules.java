package io.sensorfleet.console.security;

/**
 * The one rule for text that comes from outside (JSON strings, query and path parameters, form
 * fields). Everywhere: no NUL (PostgreSQL cannot store it) and no control characters other than
 * tab and line breaks, ESC included (terminal escapes in logs and exports). In names, and in every
 * query or path parameter, additionally: no line breaks or tabs (forged log lines, split CSV rows),
 * no bidirectional overrides or isolates (text that reads differently from what it is) and no
 * zero-width characters (two names that look the same).
 */
public final class TextRules {
    private TextRules() {
    }

    /** What is wrong with free text, or null when it is acceptable. */
    public static String checkText(String value) {
        return check(value, false);
    }

    /** What is wrong with a name, identifier or parameter, or null when it is acceptable. */
    public static String checkName(String value) {
        return check(value, true);
    }

    private static String check(String value, boolean name) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return "must not contain NUL characters";
            }
            boolean lineBreakOrTab = c == '\n' || c == '\r' || c == '\t';
            if ((c < 0x20 && !lineBreakOrTab) || (c >= 0x7f && c <= 0x9f)) {
                return "must not contain control characters";
            }
            if (name && lineBreakOrTab) {
                return "must be a single line without tabs";
            }
            if (name && (isBidiControl(c) || isInvisible(c))) {
                return "must not contain bidirectional or invisible formatting characters";
            }
        }
        return null;
    }

    private static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F'
                || c == '\u061C';
    }

    private static boolean isInvisible(char c) {
        return (c >= '\u200B' && c <= '\u200D') || c == '\u2060' || c == '\uFEFF' || c == '\u00AD' || c == '\u180E';
    }

    /** Whether a JSON field of this name holds a name (and gets the stricter rule). */
    public static boolean isNameField(String field) {
        return field != null && (field.equals("name") || field.endsWith("Name") || field.equals("username")
                || field.equals("hostname"));
    }
}
