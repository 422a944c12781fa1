package io.sensorfleet.protocol.v1.update;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * Software versions of the product: dot-separated parts, compared part by part, numerically where
 * both parts are numbers ({@code 10.5.5 > 3.1.1}, {@code 22.1.0 > 22.0.12}). A version pattern in a
 * manifest's {@code appliesTo} is a version or a version prefix ending in {@code .x} or {@code .*}
 * ({@code 10.5.x} matches 10.5.5 and 10.5.12, not 10.50.1).
 */
public final class Versions {
    private static final Pattern PATTERN = Pattern.compile(
            "[0-9A-Za-z][0-9A-Za-z+_-]*(\\.[0-9A-Za-z+_-]+){0,7}(\\.[x*])?|[x*]");
    private static final int MAX_LENGTH = 64;
    private static final int MAX_PARTS = 8;

    /** Orders versions from oldest to newest. */
    public static final Comparator<String> ORDER = Versions::compare;

    private Versions() {
    }

    /**
     * A letter or digit, then letters, digits and {@code + _ -}, in at most 8 parts separated by single
     * dots, at most 64 characters. Checked by hand, not with a regular expression: every heartbeat
     * carries a version, and the matcher was a visible share of the console's CPU per heartbeat.
     */
    public static boolean valid(String version) {
        if (version == null || version.isEmpty() || version.length() > MAX_LENGTH || !alphanumeric(version.charAt(0))) {
            return false;
        }
        int dots = 0;
        char previous = version.charAt(0);
        for (int i = 1; i < version.length(); i++) {
            char c = version.charAt(i);
            if (c == '.') {
                if (previous == '.' || ++dots > MAX_PARTS - 1) {
                    return false;
                }
            } else if (!alphanumeric(c) && c != '+' && c != '_' && c != '-') {
                return false;
            }
            previous = c;
        }
        return previous != '.';
    }

    private static boolean alphanumeric(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    public static boolean validPattern(String pattern) {
        return pattern != null && pattern.length() <= MAX_LENGTH && PATTERN.matcher(pattern).matches();
    }

    /** Negative, zero or positive as {@code a} is older than, the same as or newer than {@code b}. */
    public static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = comparePart(p, q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    public static boolean newer(String a, String b) {
        return compare(a, b) > 0;
    }

    /** Whether {@code version} matches {@code pattern} (a version, or a prefix ending in .x or .*). */
    public static boolean matches(String pattern, String version) {
        if (pattern.equals("x") || pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith(".x") || pattern.endsWith(".*")) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            return version.startsWith(prefix) && version.length() > prefix.length();
        }
        return compare(pattern, version) == 0;
    }

    private static int comparePart(String p, String q) {
        boolean pn = p.chars().allMatch(Character::isDigit);
        boolean qn = q.chars().allMatch(Character::isDigit);
        if (pn && qn) {
            return new java.math.BigInteger(p).compareTo(new java.math.BigInteger(q));
        }
        if (pn != qn) {
            return pn ? 1 : -1; // 1.0 is newer than 1.0-rc1's "0-rc1"
        }
        return p.compareTo(q);
    }
}
