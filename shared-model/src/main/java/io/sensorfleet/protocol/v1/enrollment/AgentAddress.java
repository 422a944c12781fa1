package io.sensorfleet.protocol.v1.enrollment;

import java.util.regex.Pattern;

/**
 * One agent-plane address of the console: a host name, IPv4 or IPv6 literal, and a TCP port.
 * Written {@code host:port}, or {@code [v6]:port} for IPv6.
 *
 * @param host DNS name or IP literal (IPv6 without brackets); required
 * @param port 1–65535; required
 */
public record AgentAddress(String host, int port) {

    private static final Pattern HOST_NAME = Pattern.compile(
            "(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IPV6 = Pattern.compile("(?i)[0-9a-f:.]{2,45}");

    public AgentAddress {
        if (host == null || !(HOST_NAME.matcher(host).matches() || (host.contains(":") && IPV6.matcher(host).matches()))) {
            throw new IllegalArgumentException("host '" + host + "' is not a host name or IP address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
    }

    /** Parses {@code host:port} or {@code [v6]:port}; the message of the exception names what is wrong. */
    public static AgentAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("address is empty");
        }
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("address '" + text + "' must be [IPv6]:port");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException("address '" + text + "' must be host:port");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        if (!port.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("address '" + text + "' has no numeric port");
        }
        return new AgentAddress(host, Integer.parseInt(port));
    }

    /** The base URI of the agent plane at this address, e.g. {@code https://[::1]:9443}. */
    public String baseUri() {
        return "https://" + toString();
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
