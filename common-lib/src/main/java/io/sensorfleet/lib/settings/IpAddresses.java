package io.sensorfleet.lib.settings;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** IP literals only: never a name lookup, whatever the input. */
public final class IpAddresses {
    private static final Pattern V4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern V6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private IpAddresses() {
    }

    /** The address bytes (4 or 16) of an IPv4 or IPv6 literal, or empty. */
    public static Optional<byte[]> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (V4.matcher(text).matches()) {
            String[] p = text.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) Integer.parseInt(p[i]);
            }
            return Optional.of(b);
        }
        // A text with a colon is taken as an IPv6 literal by InetAddress, which then never resolves names.
        if (text.contains(":") && V6_CHARS.matcher(text).matches()) {
            try {
                InetAddress a = InetAddress.getByName(text);
                return a instanceof Inet6Address ? Optional.of(a.getAddress()) : Optional.empty();
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Prefix length of a contiguous IPv4 mask such as 255.255.254.0, or -1 when not contiguous or not a mask. */
    public static int prefixOfMask(String mask) {
        Optional<byte[]> b = parse(mask);
        if (b.isEmpty() || b.get().length != 4) {
            return -1;
        }
        int bits = ((b.get()[0] & 0xff) << 24) | ((b.get()[1] & 0xff) << 16) | ((b.get()[2] & 0xff) << 8)
                | (b.get()[3] & 0xff);
        int prefix = Integer.bitCount(bits);
        int expected = prefix == 0 ? 0 : -1 << (32 - prefix);
        return bits == expected ? prefix : -1;
    }

    /** Whether both addresses are in the same network of the given prefix length. */
    public static boolean sameNetwork(byte[] a, byte[] b, int prefix) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            int mask = bitsHere == 0 ? 0 : (0xff << (8 - bitsHere)) & 0xff;
            if ((a[i] & mask) != (b[i] & mask)) {
                return false;
            }
        }
        return true;
    }
}
