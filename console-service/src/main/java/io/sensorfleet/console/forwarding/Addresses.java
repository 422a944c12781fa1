package io.sensorfleet.console.forwarding;

import java.util.regex.Pattern;

/** Tells IP literals from names in what sensors report as source and destination, without any lookup. */
final class Addresses {
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}(%[\\w.]+)?");

    private Addresses() {
    }

    static boolean isIpLiteral(String s) {
        return s != null && (IPV4.matcher(s).matches() || IPV6.matcher(s).matches());
    }
}
