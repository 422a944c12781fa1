package io.sensorfleet.protocol.v1.enrollment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an agent needs to join a console, as one line safe to copy and paste:
 * {@code sf1.<payload>.<checksum>}.
 * <p>
 * {@code payload} is base64url (no padding) of UTF-8 lines {@code a=<address>[,<address>…]},
 * {@code t=<token>}, {@code f=<CA SHA-256 fingerprint, 64 hex digits>}; {@code checksum} is the first
 * 8 hex digits of the SHA-256 of the payload text, so a string cut or altered while copying is
 * recognised as such instead of failing later with a confusing error. Only {@code A-Z a-z 0-9 - _ .}
 * appear, so the string needs no quoting in a shell. See docs/connection-strings.md.
 *
 * @param addresses     the console's agent-plane addresses, tried in order; at least one
 * @param token         one-time enrollment token, 43 base64url characters (256 bits)
 * @param caFingerprint SHA-256 of the DER encoding of the console CA certificate, lower-case hex
 */
public record ConnectionString(List<AgentAddress> addresses, String token, String caFingerprint) {

    public static final String PREFIX = "sf1.";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_LENGTH = 4096;

    public ConnectionString {
        if (addresses == null || addresses.isEmpty()) {
            throw new ConnectionStringException("no console address");
        }
        addresses = List.copyOf(addresses);
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new ConnectionStringException("enrollment token must be 43 base64url characters");
        }
        if (caFingerprint == null || !FINGERPRINT.matcher(caFingerprint).matches()) {
            throw new ConnectionStringException("CA fingerprint must be 64 lower-case hex digits (SHA-256)");
        }
    }

    /** Encodes to the one-line form. */
    public String encode() {
        String text = "a=" + String.join(",", addresses.stream().map(AgentAddress::toString).toList())
                + "\nt=" + token + "\nf=" + caFingerprint;
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        return PREFIX + payload + "." + checksum(payload);
    }

    /**
     * Parses the one-line form.
     *
     * @throws ConnectionStringException naming what is wrong
     */
    public static ConnectionString parse(String value) {
        if (value == null || value.isBlank()) {
            throw new ConnectionStringException("connection string is empty");
        }
        String s = value.strip();
        if (s.length() > MAX_LENGTH) {
            throw new ConnectionStringException("connection string is longer than " + MAX_LENGTH + " characters");
        }
        if (!s.startsWith(PREFIX)) {
            throw new ConnectionStringException("connection string must start with '" + PREFIX
                    + "' (copy it whole from the console)");
        }
        String[] parts = s.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new ConnectionStringException("connection string must be sf1.<payload>.<checksum>; "
                    + "it looks cut off or joined with something else");
        }
        if (!checksum(parts[0]).equals(parts[1])) {
            throw new ConnectionStringException("checksum mismatch: the connection string was altered or truncated");
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ConnectionStringException("payload is not valid base64url");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConnectionStringException("payload line '" + line + "' is not key=value");
            }
            fields.put(line.substring(0, eq), line.substring(eq + 1));
        }
        List<AgentAddress> addresses = new ArrayList<>();
        for (String a : required(fields, "a", "console address").split(",")) {
            try {
                addresses.add(AgentAddress.parse(a));
            } catch (IllegalArgumentException e) {
                throw new ConnectionStringException("console " + e.getMessage());
            }
        }
        return new ConnectionString(addresses, required(fields, "t", "enrollment token"),
                required(fields, "f", "CA fingerprint"));
    }

    private static String required(Map<String, String> fields, String key, String what) {
        String v = fields.get(key);
        if (v == null || v.isEmpty()) {
            throw new ConnectionStringException("missing " + what + " (field '" + key + "')");
        }
        return v;
    }

    static String checksum(String payload) {
        return HexFormat.of().formatHex(sha256(payload.getBytes(StandardCharsets.US_ASCII)), 0, 4);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
