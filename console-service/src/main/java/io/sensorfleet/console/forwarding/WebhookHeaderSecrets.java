package io.sensorfleet.console.forwarding;

import io.sensorfleet.console.secrets.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Webhook header values (an {@code Authorization} header is a credential) are stored sealed with
 * the master key, like the proxy password: a database dump shows none of them. They are opened only
 * to send, and shown as {@value #MASK}; sending {@value #MASK} back for a header keeps its stored value.
 * Values stored before sealing existed are read as they are and sealed at the rule's next save.
 */
@ApplicationScoped
public class WebhookHeaderSecrets {
    /** What the API and the web console show instead of a header value. */
    public static final String MASK = "(set)";
    private static final String SEALED = "sealed:v1:";

    private final SecretBox box;

    @Inject
    public WebhookHeaderSecrets(SecretBox box) {
        this.box = box;
    }

    /** The settings to store: every header value sealed, a masked one keeping what {@code previous} had. */
    ActionSettings seal(ActionSettings wanted, ActionSettings previous) {
        Map<String, String> before = previous == null || previous.headers() == null ? Map.of() : previous.headers();
        return withHeaders(wanted, (name, value) -> {
            if (MASK.equals(value) && before.containsKey(name)) {
                String kept = before.get(name);
                return kept.startsWith(SEALED) ? kept : sealValue(name, kept);
            }
            return value.startsWith(SEALED) ? value : sealValue(name, value);
        });
    }

    /** The settings to send with: header values in clear. */
    ActionSettings open(ActionSettings stored) {
        return withHeaders(stored, (name, value) -> value.startsWith(SEALED)
                ? new String(box.open(Base64.getDecoder().decode(value.substring(SEALED.length())), associated(name)),
                StandardCharsets.UTF_8) : value);
    }

    /** The settings to show: header names only. */
    static ActionSettings masked(ActionSettings stored) {
        return withHeaders(stored, (name, value) -> MASK);
    }

    private String sealValue(String name, String value) {
        return SEALED + Base64.getEncoder().encodeToString(box.seal(value.getBytes(StandardCharsets.UTF_8), associated(name)));
    }

    private static String associated(String header) {
        return "webhook-header:" + header.toLowerCase(java.util.Locale.ROOT);
    }

    private static ActionSettings withHeaders(ActionSettings s, BiFunction<String, String, String> f) {
        if (s == null || s.headers() == null) {
            return s;
        }
        Map<String, String> h = new LinkedHashMap<>();
        s.headers().forEach((k, v) -> h.put(k, v == null ? null : f.apply(k, v)));
        return new ActionSettings(s.host(), s.port(), s.transport(), s.format(), s.timeZone(), s.url(), h,
                s.caCertificatePem(), s.batchMaxEvents());
    }
}
