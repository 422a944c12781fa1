package io.sensorfleet.agent.appliance;

import io.sensorfleet.lib.settings.IpAddresses;
import io.sensorfleet.lib.settings.SettingDefinition;
import io.sensorfleet.lib.settings.SettingsCatalog;
import io.sensorfleet.lib.settings.SettingsValidator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Compares a desired value with the one the system reports, by meaning: {@code 255.255.255.0}
 * and {@code 24} are the same mask, {@code 2001:DB8::0:1} and {@code 2001:db8::1} the same
 * address, a host name is case-insensitive.
 */
public final class SettingValues {
    private SettingValues() {
    }

    /** The keys among {@code desired} whose value the system does not have. */
    public static List<String> differences(Map<String, Object> desired, Map<String, Object> actual, Iterable<String> keys) {
        List<String> out = new ArrayList<>();
        for (String key : new TreeSet<>(toList(keys))) {
            if (desired.get(key) != null && !same(key, desired.get(key), actual.get(key))) {
                out.add(key);
            }
        }
        return out;
    }

    public static boolean same(String key, Object desired, Object actual) {
        return Objects.equals(normal(key, desired), normal(key, actual));
    }

    static Object normal(String key, Object v) {
        if (v == null) {
            return null;
        }
        Optional<SettingDefinition> def = SettingsCatalog.find(key);
        if (def.isEmpty()) {
            return v;
        }
        return switch (def.get().type()) {
            case SUBNET_MASK -> SettingsValidator.prefix(v.toString(), 128);
            case IP_ADDRESS -> canonicalIp(v.toString());
            case IP_ADDRESS_LIST -> v instanceof List<?> l ? l.stream().map(o -> canonicalIp(o.toString())).toList() : v;
            case HOSTNAME -> v.toString().toLowerCase(java.util.Locale.ROOT);
            case INTEGER -> v instanceof Number n ? (Object) n.longValue() : v.toString();
            default -> v;
        };
    }

    /** An address as ip prints it: IPv6 in lower case with the longest run of zero groups compressed (RFC 5952). */
    public static String canonicalIp(String text) {
        Optional<byte[]> parsed = IpAddresses.parse(text);
        if (parsed.isEmpty()) {
            return text;
        }
        byte[] b = parsed.get();
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            out.append(Integer.toHexString(groups[i]));
            if (i < 7) {
                out.append(':');
            }
        }
        return out.toString();
    }

    private static List<String> toList(Iterable<String> keys) {
        List<String> out = new ArrayList<>();
        keys.forEach(out::add);
        return out;
    }
}
