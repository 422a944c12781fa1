package io.sensorfleet.console.forwarding;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Posts notifications to webhooks over java.net.http, one HTTP/1.1 client (and connection pool)
 * per trust configuration. Only a 2xx answer counts as delivered; redirects are not followed. The
 * notification id is in the body ({@code eventId}) and, for one notification per request, in the
 * {@value #EVENT_ID_HEADER} header; a batch (a JSON array) carries its size in
 * {@value #EVENT_COUNT_HEADER} and each id in its element.
 */
@ApplicationScoped
class WebhookSender {
    static final String EVENT_ID_HEADER = "X-SensorFleet-Event-Id";
    static final String EVENT_COUNT_HEADER = "X-SensorFleet-Event-Count";
    private static final int ANSWER_BYTES = 300;
    private static final long DRAIN_LIMIT = 1 << 20;

    /** A client per trust configuration and validation mode: turning validation on never reuses a connection opened without it. */
    private record ClientKey(String caPem, boolean validating) {
    }

    private final Map<ClientKey, HttpClient> clients = new ConcurrentHashMap<>();

    @Inject
    ForwardingConfig config;
    @Inject
    ForwardingTls tls;

    /** One notification: {@code body} is its JSON object. */
    DeliveryResult send(ActionSettings s, UUID eventId, String body) {
        return post(s, EVENT_ID_HEADER, eventId.toString(), body);
    }

    /** Several notifications in one request: {@code body} is a JSON array of {@code count} objects. */
    DeliveryResult sendBatch(ActionSettings s, int count, String body) {
        return post(s, EVENT_COUNT_HEADER, Integer.toString(count), body);
    }

    private DeliveryResult post(ActionSettings s, String eventHeader, String eventValue, String body) {
        boolean validating = tls.validating();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url()))
                .timeout(tls.connectTimeout(config.requestTimeout(), validating))
                .header("Content-Type", "application/json")
                .header("User-Agent", "SensorFleet-Console")
                .header(eventHeader, eventValue)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (s.headers() != null) {
            s.headers().forEach(b::header);
        }
        String target = URI.create(s.url()).getHost();
        try {
            HttpResponse<InputStream> r = client(s.caCertificatePem(), validating).send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            String answer = "HTTP " + r.statusCode() + answerText(r.body());
            if (r.statusCode() >= 200 && r.statusCode() < 300) {
                return DeliveryResult.ok(answer);
            }
            return new DeliveryResult(false, answer, retryAfter(r));
        } catch (IOException e) {
            return DeliveryResult.failed(DeliveryResult.describe(e, s.url()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.failed("interrupted while posting to " + target);
        }
    }

    private HttpClient client(String caPem, boolean validating) {
        return clients.computeIfAbsent(new ClientKey(caPem == null ? "" : caPem, validating), k -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(tls.connectTimeout(config.connectTimeout(), k.validating()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(tls.context(k.caPem(), k.validating()))
                .sslParameters(ForwardingTls.parameters())
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build());
    }

    /** The start of the body, on one line; the rest is read and dropped (bounded) so the connection can be reused. */
    private static String answerText(InputStream in) throws IOException {
        try (in) {
            String start = new String(in.readNBytes(ANSWER_BYTES), StandardCharsets.UTF_8).strip()
                    .replaceAll("\\s*[\\r\\n]+\\s*", " ");
            long drained = 0;
            byte[] sink = new byte[8192];
            int n;
            while (drained < DRAIN_LIMIT && (n = in.read(sink)) > 0) {
                drained += n;
            }
            return start.isEmpty() ? "" : ": " + start;
        }
    }

    private static Duration retryAfter(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                long seconds = Long.parseLong(v.strip());
                return seconds >= 0 ? java.util.Optional.of(Duration.ofSeconds(Math.min(seconds, 3600))) : java.util.Optional.empty();
            } catch (NumberFormatException e) {
                return java.util.Optional.empty();
            }
        }).orElse(null);
    }
}
