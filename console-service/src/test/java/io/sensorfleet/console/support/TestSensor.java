package io.sensorfleet.console.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.enrollment.EnrollRequest;
import io.sensorfleet.protocol.v1.enrollment.EnrollResponse;
import io.sensorfleet.protocol.v1.heartbeat.Health;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import io.sensorfleet.protocol.v1.work.Work;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * A minimal sensor written for the tests, independent of the agent's code: its own keys, CSR
 * and java.net.http client. It speaks the agent plane exactly as the protocol records say.
 */
public final class TestSensor {
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private String baseUri;
    private final KeyPair keys = newKeyPair();
    private final X509Certificate caCert;
    private EnrollResponse identity;
    private HttpClient mtls;

    public TestSensor(String baseUri, String caPem) {
        this.baseUri = baseUri;
        this.caCert = certificate(caPem);
    }

    /** Talks to another console instance from now on. */
    public TestSensor useConsole(String baseUri) {
        this.baseUri = baseUri;
        return this;
    }

    /** The sensor's private key, PKCS#8 PEM, for handing to an independent TLS client. */
    public String privateKeyPem() {
        return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[]{'\n'})
                .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    public EnrollResponse identity() {
        return identity;
    }

    /** Enrolls with the token; on success keeps the certificate for later calls. */
    public HttpResponse<String> enroll(String token) {
        HttpResponse<String> r = post(plainClient(), AgentPaths.ENROLL,
                new EnrollRequest(token, csr(keys), "test-sensor", "1.0.0"));
        if (r.statusCode() == 200) {
            identity = read(r.body(), EnrollResponse.class);
            mtls = client(sslContext(true));
        }
        return r;
    }

    public HttpResponse<String> heartbeat(Instant sensorClock) {
        return heartbeat(sensorClock, Health.ok());
    }

    /** A heartbeat reporting {@code health}, e.g. with its checks. */
    public HttpResponse<String> heartbeat(Instant sensorClock, Health health) {
        return post(mtls, AgentPaths.HEARTBEAT, new HeartbeatRequest(sensorClock, "1.0.0", health));
    }

    /**
     * The one work long-poll: 200 with a {@link Work} (read it with {@link #read}) or 204 after
     * {@code waitSeconds}.
     *
     * @param settingsKnown the settings revision this sensor holds, -1 for none
     */
    public HttpResponse<String> work(long settingsKnown, int waitSeconds) {
        return get(AgentPaths.WORK + "?settingsKnown=" + settingsKnown + "&waitSeconds=" + waitSeconds);
    }

    /** Reports an alert over mTLS. */
    public HttpResponse<String> alert(io.sensorfleet.protocol.v1.alerts.AlertReport report) {
        return post(mtls, AgentPaths.ALERTS, report);
    }

    /** Asks for a certificate for {@code newKeys} over mTLS with the current certificate. */
    public HttpResponse<String> renew(KeyPair newKeys) {
        return post(mtls, AgentPaths.RENEW, new io.sensorfleet.protocol.v1.enrollment.RenewRequest(csr(newKeys)));
    }

    /** GET over mTLS. */
    public HttpResponse<String> get(String pathAndQuery) {
        try {
            return mtls.send(HttpRequest.newBuilder(URI.create(baseUri + pathAndQuery)).timeout(Duration.ofSeconds(70))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + pathAndQuery + " failed: " + e, e);
        }
    }

    /** Any request over mTLS, e.g. a PUT of raw bytes; {@code pathAndQuery} is relative to the agent plane. */
    public HttpResponse<String> send(String pathAndQuery, java.util.function.UnaryOperator<HttpRequest.Builder> request) {
        try {
            return mtls.send(request.apply(HttpRequest.newBuilder(URI.create(baseUri + pathAndQuery))
                    .timeout(Duration.ofSeconds(70))).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("request to " + pathAndQuery + " failed: " + e, e);
        }
    }

    /** GET over mTLS, keeping the body as bytes. */
    public HttpResponse<byte[]> getBytes(String pathAndQuery, java.util.Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUri + pathAndQuery)).timeout(Duration.ofSeconds(70));
            headers.forEach(b::header);
            return mtls.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + pathAndQuery + " failed: " + e, e);
        }
    }

    /** POST over mTLS. */
    public HttpResponse<String> postMtls(String path, Object body) {
        return post(mtls, path, body);
    }

    public HttpResponse<String> heartbeatWithoutCertificate() {
        return post(plainClient(), AgentPaths.HEARTBEAT, new HeartbeatRequest(Instant.now(), "1.0.0", Health.ok()));
    }

    /**
     * A heartbeat to the console instance at {@code consoleBaseUri}, leaving {@link #useConsole}'s
     * choice alone: safe to call from several threads at once, e.g. to reach two instances together.
     */
    public HttpResponse<String> heartbeatTo(String consoleBaseUri, HeartbeatRequest request) {
        return post(mtls, consoleBaseUri, AgentPaths.HEARTBEAT, request);
    }

    public HttpResponse<String> post(HttpClient client, String path, Object body) {
        return post(client, baseUri, path, body);
    }

    private static HttpResponse<String> post(HttpClient client, String baseUri, String path, Object body) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(baseUri + path)).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
            return client.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("request to " + path + " failed: " + e, e);
        }
    }

    public HttpClient plainClient() {
        return client(sslContext(false));
    }

    public static String csr(KeyPair keys) {
        return csr(keys, keys);
    }

    /** A CSR for {@code subjectKeys}' public key signed by {@code signingKeys}: no proof of possession when they differ. */
    public static String csr(KeyPair subjectKeys, KeyPair signingKeys) {
        try {
            var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=whatever-the-sensor-asks"), subjectKeys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKeys.getPrivate()));
            StringWriter out = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(out)) {
                w.writeObject(csr);
            }
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static <T> T read(String body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + type.getSimpleName() + " from " + body, e);
        }
    }

    public static X509Certificate certificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private SSLContext sslContext(boolean withClientCert) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", caCert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (withClientCert) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("sensor", keys.getPrivate(), new char[0],
                        new Certificate[]{certificate(identity.certificatePem()), caCert});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpClient client(SSLContext ctx) {
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
    }
}
