package io.sensorfleet.lib.settings;

import io.sensorfleet.protocol.v1.enrollment.AgentAddress;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules of every setting, applied by the console before saving and again by the agent
 * before applying (defence in depth: the agent trusts nothing it receives).
 */
public final class SettingsValidator {
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?i)(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern TIME_OF_DAY = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");
    private static final Pattern PREFIX = Pattern.compile("/?(\\d{1,3})");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private SettingsValidator() {
    }

    /** Each value on its own; a null value (removing a setting) is always allowed. */
    public static List<Violation> validate(Map<String, ?> values) {
        List<Violation> out = new ArrayList<>();
        values.forEach((key, value) -> {
            Optional<SettingDefinition> def = SettingsCatalog.find(key);
            if (def.isEmpty()) {
                out.add(new Violation(key, "unknown setting"));
            } else if (value != null) {
                check(def.get(), value).ifPresent(rule -> out.add(new Violation(key, rule)));
            }
        });
        return out;
    }

    /** The rules between network settings, on the complete (effective) settings of one sensor. */
    public static List<Violation> validateNetwork(Map<String, ?> effective) {
        List<Violation> out = new ArrayList<>();
        Object ip = effective.get("network.ipAddress");
        Object mask = effective.get("network.subnetMask");
        Object gw = effective.get("network.defaultGateway");
        if (ip == null || mask == null || gw == null) {
            return out;
        }
        Optional<byte[]> ipBytes = IpAddresses.parse(ip.toString());
        Optional<byte[]> gwBytes = IpAddresses.parse(gw.toString());
        int prefix = prefix(mask.toString(), ipBytes.map(b -> b.length * 8).orElse(32));
        if (ipBytes.isEmpty() || gwBytes.isEmpty() || prefix < 0) {
            return out;
        }
        if (ipBytes.get().length != gwBytes.get().length) {
            out.add(new Violation("network.defaultGateway", "must be of the same IP family as network.ipAddress"));
        } else if (!IpAddresses.sameNetwork(ipBytes.get(), gwBytes.get(), prefix)) {
            out.add(new Violation("network.defaultGateway", "must be inside the subnet " + ip + "/" + prefix));
        } else if (java.util.Arrays.equals(ipBytes.get(), gwBytes.get())) {
            out.add(new Violation("network.defaultGateway", "must differ from network.ipAddress"));
        }
        return out;
    }

    /** Prefix length of a mask or prefix text, or -1. */
    public static int prefix(String mask, int maxBits) {
        var m = PREFIX.matcher(mask.strip());
        if (m.matches()) {
            int p = Integer.parseInt(m.group(1));
            return p <= maxBits ? p : -1;
        }
        return IpAddresses.prefixOfMask(mask.strip());
    }

    private static Optional<String> check(SettingDefinition d, Object v) {
        return switch (d.type()) {
            case BOOLEAN -> v instanceof Boolean ? Optional.empty() : Optional.of("must be true or false");
            case INTEGER -> integer(d, v);
            case TEXT -> v instanceof String s && s.length() <= d.max() && !CONTROL.matcher(s).find()
                    ? Optional.empty() : Optional.of("must be text of at most " + d.max() + " characters, no control characters");
            case IP_ADDRESS -> ip(v) ? Optional.empty() : Optional.of("must be an IPv4 or IPv6 address");
            case SUBNET_MASK -> (v instanceof String || v instanceof Number) && prefix(v.toString(), 128) >= 0
                    ? Optional.empty() : Optional.of("must be a contiguous mask such as 255.255.255.0 or a prefix length such as 24");
            case IP_ADDRESS_LIST -> v instanceof List<?> l && !l.isEmpty() && l.size() <= 3 && l.stream().allMatch(SettingsValidator::ip)
                    ? Optional.empty() : Optional.of("must be a list of 1 to 3 IP addresses");
            case HOSTNAME -> v instanceof String s && HOSTNAME.matcher(s).matches()
                    ? Optional.empty() : Optional.of("must be a host name (RFC 1123: letters, digits, hyphens, dots)");
            case HOST_PORT -> hostPort(v);
            case TIME_ZONE -> v instanceof String s && ZoneId.getAvailableZoneIds().contains(s)
                    ? Optional.empty() : Optional.of("must be an IANA time zone such as Europe/Berlin");
            case CHOICE -> d.choices().contains(v) ? Optional.empty() : Optional.of("must be one of " + d.choices());
            case TIME_OF_DAY -> v instanceof String s && TIME_OF_DAY.matcher(s).matches()
                    ? Optional.empty() : Optional.of("must be a time of day HH:mm such as 03:00");
        };
    }

    private static Optional<String> integer(SettingDefinition d, Object v) {
        if (!(v instanceof Integer || v instanceof Long)) {
            return Optional.of("must be a whole number from " + d.min() + " to " + d.max());
        }
        long n = ((Number) v).longValue();
        return n < d.min() || n > d.max() ? Optional.of("must be from " + d.min() + " to " + d.max() + ", got " + n)
                : Optional.empty();
    }

    private static Optional<String> hostPort(Object v) {
        if (v instanceof String s && s.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (v instanceof String s) {
                AgentAddress.parse(s);
                return Optional.empty();
            }
        } catch (IllegalArgumentException e) {
            return Optional.of("must be host:port (" + e.getMessage() + ")");
        }
        return Optional.of("must be host:port");
    }

    private static boolean ip(Object v) {
        return v instanceof String s && IpAddresses.parse(s).isPresent();
    }
}
