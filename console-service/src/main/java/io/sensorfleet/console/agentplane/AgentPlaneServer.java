package io.sensorfleet.console.agentplane;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sensorfleet.console.certificates.InternalCa;
import io.sensorfleet.console.certificates.Pem;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The agent plane: its own HTTPS listener (default 9443) beside the operator plane. The TLS layer
 * asks every client for a certificate and accepts only ones issued by the internal CA; endpoints
 * other than enrollment and the CRL refuse requests without one. Each instance gets a server
 * certificate from the shared CA at start, so agents trust every instance through the one CA.
 */
@ApplicationScoped
public class AgentPlaneServer {
    private static final Logger LOG = Logger.getLogger(AgentPlaneServer.class);
    /** TLS 1.3 suites, then TLS 1.2 ECDHE with AEAD only: forward secrecy, no CBC, no RSA key exchange. */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    private static final Duration SERVER_CERT_LIFETIME = Duration.ofDays(365);

    @Inject
    Vertx vertx;
    @Inject
    InternalCa ca;
    @Inject
    AgentPlaneConfig config;
    @Inject
    AgentPlaneAddresses addresses;
    @Inject
    AgentRoutes routes;

    private volatile HttpServer server;

    void start(@Observes StartupEvent ev) {
        KeyPair kp = InternalCa.newKeyPair();
        InternalCa.Issued cert = ca.issueServerCertificate(addresses.certificateNames(), kp.getPublic(), SERVER_CERT_LIFETIME);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setSsl(true)
                .setUseAlpn(false)
                .setClientAuth(ClientAuth.REQUEST)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertValue(Buffer.buffer(cert.pem() + ca.certificatePem()))
                        .setKeyValue(Buffer.buffer(Pem.pkcs8(kp.getPrivate()))))
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca.certificatePem())))
                .setIdleTimeout(120)
                .setCompressionSupported(false);
        CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
        server = vertx.createHttpServer(options).requestHandler(routes.router(vertx));
        server.listen().toCompletionStage().toCompletableFuture().join();
        addresses.bound(server.actualPort());
        LOG.infof("Agent plane listening on https://%s:%d (mutual TLS); agents are told %s", config.host(),
                server.actualPort(), addresses.advertised());
    }

    void stop(@Observes ShutdownEvent ev) {
        HttpServer s = server;
        if (s != null) {
            s.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** The port actually bound (differs from the configured one when that is 0). */
    public int port() {
        return server.actualPort();
    }
}
