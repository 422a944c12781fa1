package io.sensorfleet.console.web.pages;

/** Small rules shared by the pages. */
final class Pages {
    private Pages() {
    }

    /** A return address from a form, kept only if it is a web console path (no open redirect). */
    static String localPath(String path, String fallback) {
        if (path == null || !path.startsWith("/ui") || path.contains("//") || path.contains("\\") || path.length() > 2000
                || path.chars().anyMatch(c -> c < 0x21)) {
            return fallback;
        }
        return path;
    }
}
