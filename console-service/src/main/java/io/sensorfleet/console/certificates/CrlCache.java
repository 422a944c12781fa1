package io.sensorfleet.console.certificates;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CRLs fetched over HTTP from the distribution points certificates name, each kept until its
 * nextUpdate (an hour when it has none). A fetch gets {@code crl-timeout} (3 s) per try and
 * {@code crl-retries} (1) more tries.
 */
@ApplicationScoped
// Created at start: a config mapping first injected on a TLS handshake thread fails to be created.
@Startup
public class CrlCache {
    /** Larger answers are not CRLs one should wait for on a delivery path. */
    private static final int MAX_BYTES = 16 << 20;
    private static final Duration WITHOUT_NEXT_UPDATE = Duration.ofHours(1);
    private static final int MAX_ENTRIES = 1000;

    /** Why a CRL could not be had; the message completes "CRL <url> …". */
    public static class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private record Cached(X509CRL crl, Instant until) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile HttpClient http;

    private final CertificatesConfig config;
    private final Clock clock;

    CrlCache(CertificatesConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public X509CRL get(String url) throws Unavailable {
        Instant now = clock.instant();
        Cached c = cache.get(url);
        if (c != null && now.isBefore(c.until())) {
            return c.crl();
        }
        X509CRL crl = fetch(url);
        Instant until = crl.getNextUpdate() == null ? now.plus(WITHOUT_NEXT_UPDATE) : crl.getNextUpdate().toInstant();
        if (now.isBefore(until)) {
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(url, new Cached(crl, until));
        }
        return crl;
    }

    private X509CRL fetch(String url) throws Unavailable {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new Unavailable("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Unavailable("cannot be fetched: only http and https distribution points are supported");
        }
        String reason = null;
        int tries = 1 + Math.max(0, config.crlRetries());
        for (int i = 0; i < tries; i++) {
            try {
                return once(uri);
            } catch (Unavailable e) {
                reason = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("was not fetched: interrupted");
            }
        }
        throw new Unavailable(reason + " (" + tries + (tries == 1 ? " try" : " tries") + ", "
                + config.crlTimeout().toSeconds() + " s each)");
    }

    private X509CRL once(URI uri) throws Unavailable, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.crlTimeout()).GET().build();
        try {
            HttpResponse<InputStream> r = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                    throw new Unavailable("answered HTTP " + r.statusCode());
                }
                byte[] body = in.readNBytes(MAX_BYTES + 1);
                if (body.length > MAX_BYTES) {
                    throw new Unavailable("is larger than " + MAX_BYTES + " bytes");
                }
                return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(body));
            }
        } catch (java.net.http.HttpTimeoutException e) {
            throw new Unavailable("did not answer within " + config.crlTimeout().toSeconds() + " s");
        } catch (CRLException | CertificateException | ClassCastException e) {
            throw new Unavailable("is not a CRL (DER or PEM expected)");
        } catch (IOException e) {
            throw new Unavailable("cannot be reached: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private HttpClient client() {
        HttpClient c = http;
        if (c == null) {
            synchronized (this) {
                if (http == null) {
                    // CRLs are signed: where they come from (http, a proxy) does not matter, only the signature.
                    http = HttpClient.newBuilder().connectTimeout(config.crlTimeout())
                            .followRedirects(HttpClient.Redirect.NORMAL).build();
                }
                c = http;
            }
        }
        return c;
    }
}
